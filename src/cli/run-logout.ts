/** `docker-pat logout`: undo what an earlier `docker-pat login` stored for a registry. */
import { logoutRegistry } from '../core/index.js';
import { EXIT } from './exit-code.js';
import { logoutJson } from './report-json.js';
import type { RunContext } from './run.js';
import type { LogoutCommandSettings } from './settings.js';
import { levelLine } from './style.js';

export async function runLogout(settings: LogoutCommandSettings, context: RunContext): Promise<number> {
  const { output, style } = context;
  const host = settings.registry.host;
  const removed = await logoutRegistry(settings.dockerConfigDir, settings.registry, { env: context.io.env, secrets: context.secrets });
  if (settings.output.json) {
    output.json(logoutJson(host, settings.dockerConfigDir, removed));
  } else if (removed) {
    output.out(levelLine(style, 'ok', `removed the credential docker-pat login stored for ${host} (and restored any entry it replaced).`));
  } else {
    output.out(levelLine(style, 'notice', `nothing to undo: docker-pat login stored no credential for ${host} in ${settings.dockerConfigDir}.`));
  }
  return EXIT.ok;
}
