/** Failures while writing credentials, as a coded error that never quotes file contents. */
import { DockerPatError } from './errors.js';
import type { CheckSettings } from './model.js';

export function asDockerPatErrorFromStore(error: unknown, settings: CheckSettings): DockerPatError {
  if (error instanceof DockerPatError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new DockerPatError(
    'bad-input',
    `DOCKER_CONFIG: the credential for ${settings.registry.host} could not be written to ${settings.dockerConfigDir}${code ? ` (${code})` : ''}.`,
    'Make the Docker config directory writable by this user, or point DOCKER_CONFIG at one that is.',
    { field: 'DOCKER_CONFIG', registry: settings.registry.host },
  );
}
