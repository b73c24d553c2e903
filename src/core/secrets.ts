/**
 * Every secret value the core learns or derives (the token, base64(user:token), JWTs) is
 * registered here first, so front ends can mask it before anything is printed.
 */
export type SecretListener = (secret: string) => void;

/** Values shorter than this are not secrets worth masking (and would mask ordinary words). */
const MIN_SECRET_LENGTH = 4;

export class SecretRegistry {
  private readonly secrets = new Set<string>();
  private readonly listeners: SecretListener[] = [];

  /** Calls `listener` for every secret already known and every secret added later. */
  subscribe(listener: SecretListener): void {
    this.listeners.push(listener);
    for (const secret of this.secrets) listener(secret);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    for (const listener of this.listeners) listener(secret);
  }

  /** Registers the token and what the Docker CLI derives from it: base64(user:token). */
  addCredential(username: string, secret: string): void {
    this.add(secret);
    this.add(Buffer.from(`${username}:${secret}`).toString('base64'));
  }

  values(): readonly string[] {
    return [...this.secrets];
  }

  /** Replaces every known secret in `text` with `***`, longest first so no fragment survives. */
  redact(text: string): string {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join('***');
    }
    return out;
  }
}
