/** Login = the check, then the credential written the way `docker login` would leave it. */
import { checkToken, type CoreDeps } from './check.js';
import { removeCredential, storeCredential } from './credential-store.js';
import { asDockerPatErrorFromStore } from './store-errors.js';
import { saveLoginRecord, takeLoginRecord } from './login-record.js';
import type { CheckSettings, CredentialRecord, LoginReport, RegistryRef } from './model.js';

export async function login(settings: CheckSettings, deps: CoreDeps): Promise<LoginReport> {
  const report = await checkToken(settings, deps);
  if (report.verdict === 'error' || settings.dryRun) return { ...report, credential: undefined };
  try {
    const credential = await storeCredential({
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
    return { ...report, error: asDockerPatErrorFromStore(error, settings), verdict: 'error', credential: undefined };
  }
}

export async function logout(record: CredentialRecord, deps: Partial<Pick<CoreDeps, 'env' | 'secrets'>> = {}): Promise<void> {
  await removeCredential(record, { env: deps.env, secrets: deps.secrets });
}

/**
 * Undoes what an earlier `login` in another process wrote for this registry; false when that
 * login left nothing (it never ran, ran dry, or was undone already).
 */
export async function logoutRegistry(dockerConfigDir: string, registry: RegistryRef, deps: Partial<Pick<CoreDeps, 'env' | 'secrets'>> = {}): Promise<boolean> {
  const record = await takeLoginRecord(dockerConfigDir, registry.credentialKey);
  if (!record) return false;
  await logout(record, deps);
  return true;
}
