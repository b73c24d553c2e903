/** The core's public face: what the GitHub Action and the CLI call. */
export { checkToken, DEFAULT_HUB_API_URL, type CoreDeps } from './check.js';
export { login } from './login.js';
export { logout, logoutRegistry, type LogoutDeps } from './logout.js';
export { audit, type AuditReport, type AuditOptions, type AuditedToken } from './audit.js';
export { HubApi } from './hub-api.js';
export { HttpClient, type HttpOptions } from './http.js';
export { DockerPatError, badInput, isDockerPatError, ERROR_CODES, type ErrorCode } from './errors.js';
export { SecretRegistry } from './secrets.js';
export { parseRegistry, normaliseRepository } from './reference.js';
export { parseNeeds, parseRepositoryList, closeActions } from './needs.js';
export { parseExpiryDate, daysUntil } from './dates.js';
export { normaliseSecret, classifySecret } from './secret-input.js';
export { resolveDockerConfigDir } from './docker-config.js';
export { describePermission, HUB_PERMISSION_LABELS } from './fixes.js';
export * from './model.js';
