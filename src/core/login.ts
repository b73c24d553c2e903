/** Login = the check, then the credential written the way `docker login` would leave it. */
import { checkToken, type CoreDeps } from './check.js';
import { removeCredential, storeCredential } from './credential-store.js';
import { asDockerPatErrorFromStore } from './store-errors.js';
import { saveLoginRecord } from './login-record.js';
import type { CheckSettings, CredentialRecord, LoginReport } from './model.js';

export async function login(settings: CheckSettings, deps: CoreDeps): Promise<LoginReport> {
  const report = await checkToken(settings, deps);
  // In strict mode a warning fails the step, so nothing is written that the step would disown.
  const failed = report.verdict === 'error' || (settings.strict && report.verdict === 'warning');
  if (failed || settings.dryRun) return { ...report, credential: undefined };
  let credential: CredentialRecord | undefined;
  try {
    credential = await storeCredential({
      dockerConfigDir: settings.dockerConfigDir,
      credentialKey: settings.registry.credentialKey,
      username: settings.username,
      secret: settings.secret,
      env: deps.env,
      secrets: deps.secrets,
    });
    await saveLoginRecord(credential);
    return { ...report, credential };
  } catch (error) {
    const leftBehind = credential !== undefined && !(await takeBack(credential, deps));
    return { ...report, error: asDockerPatErrorFromStore(error, settings), verdict: 'error', credential: leftBehind ? credential : undefined };
  }
}

/**
 * A credential whose record could not be saved would outlive any later `docker-pat logout`, so it
 * is removed at once. When even that fails, the report keeps the record so the front end can.
 */
async function takeBack(credential: CredentialRecord, deps: CoreDeps): Promise<boolean> {
  try {
    await removeCredential(credential, { env: deps.env, secrets: deps.secrets });
    return true;
  } catch {
    return false;
  }
}
