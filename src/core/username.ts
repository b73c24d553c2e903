/**
 * The username as every credential carries it: HTTP Basic splits `user:secret` at the first ':',
 * and so does the docker CLI reading config.json, so a ':' or a control character could only ever
 * log in as someone else or be stored torn. Checked before anything is sent, so a malformed
 * username costs no login attempt.
 */
import { badInput } from './errors.js';

export function checkUsername(username: string, field = 'username'): void {
  if (username === '' || username.includes(':') || /\p{Cc}/u.test(username)) {
    throw badInput(field, 'is empty or holds ":" or control characters, which HTTP Basic authentication and the docker config cannot carry', 'the registry account or organization name');
  }
}
