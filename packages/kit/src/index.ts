// HTTP
export { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
export { accessLog, activeTraceId } from './app/access-log.ts';
export { countRequests, UNMATCHED_ROUTE } from './app/count-requests.ts';
export {
  type AppEnv,
  type CreateAppOptions,
  createApp,
  createRouter,
  DEFAULT_BODY_LIMIT_BYTES,
} from './app/create-app.ts';
export { discardBody, discardReader, LINGER } from './app/discard-body.ts';
export { type AllowedMethods, allowedMethods, methodNotAllowed } from './app/method-not-allowed.ts';
export {
  IdParam,
  json,
  jsonBody,
  optionalJsonBody,
  PageQuery,
  page,
  signedIn,
  signedInOrAnonymous,
} from './app/openapi-helpers.ts';
export { PROBLEM_CONTENT_TYPE, problemResponse } from './app/problem-response.ts';
export { problemResponses } from './app/problem-schema.ts';
export { type Alias, routeWithAliases } from './app/route-with-aliases.ts';
export { type TracedRequest, type TraceRequestsOptions, traceRequests } from './app/trace-requests.ts';
export { validationHook, zodErrorsToFields } from './app/validation-hook.ts';
// Auth
export {
  ACCESS_TOKEN_COOKIE,
  type AuthenticateOptions,
  authenticate,
  requireAdmin,
  requireUser,
} from './auth/authenticate.ts';
export {
  ACCESS_TOKEN_ALGORITHMS,
  ACCESS_TOKEN_TYPE,
  createVerifier,
  VERIFIED_TOKEN_TTL_MS,
  type VerifiedTokenCacheOptions,
  type Verifier,
  type VerifierOptions,
} from './auth/create-verifier.ts';
export type { AuthUser } from './auth/user.ts';
// Config
export { BaseEnv } from './config/base-env.ts';
export { type DurationOptions, duration, flag, parseDuration } from './config/env-values.ts';
export { ConfigError, loadEnv, parseEnv } from './config/load-env.ts';
// Errors
export {
  AppError,
  type AppErrorExtras,
  badRequest,
  conflict,
  ErrorCode,
  type FieldErrors,
  forbidden,
  isAppError,
  notFound,
  tooManyRequests,
  unauthorized,
  validationError,
} from './errors/app-error.ts';
export { isDatabaseUnavailable, type ProblemReply, toProblem } from './errors/to-problem.ts';
// Health
export { type DependencyStates, type DependencyStatesOptions, dependencyStates } from './health/dependency-states.ts';
export { mongoReady } from './health/mongo-ready.ts';
export { type Health, type HealthOptions, mountHealth, type ReadyCheck } from './health/mount-health.ts';
export { every, type Job } from './jobs/every.ts';
export { everyAndWhenNudged, type NudgedJob } from './jobs/every-and-when-nudged.ts';
// Logging, telemetry, mongo
export { type CreateLoggerOptions, createLogger, type Logger, type LogLevel } from './logging/create-logger.ts';
// Metrics
export {
  createServiceMetrics,
  HTTP_DURATION_BUCKETS,
  type ScrapedGauge,
  type ServiceMetrics,
} from './metrics/service-metrics.ts';
export { type ConnectMongoOptions, connectMongo } from './mongo/connect-mongo.ts';
export { duplicateKeyIndexes, isDuplicateKey } from './mongo/duplicate-key.ts';
export { type EnsureIndexesOptions, ensureIndexes, type IndexedModel } from './mongo/ensure-indexes.ts';
export { type Leases, type LeasesOptions, leasesOn } from './mongo/leases.ts';
export { modelOn } from './mongo/model-on.ts';
// Pagination
export { pageOf } from './pagination/page-of.ts';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageParams, pageParams } from './pagination/page-params.ts';
export { publicRequestUrl } from './pagination/request-url.ts';
export { SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from './server/node-flags.ts';
// Serving and shutdown
export { onShutdown, type Shutdown, type ShutdownOptions, type ShutdownStep } from './server/on-shutdown.ts';
export { type RunServiceOptions, runService } from './server/run-service.ts';
export { checkingInterval, type RunningServer, SERVER_TIMEOUTS, type ServeOptions, serve } from './server/serve.ts';
export { instanceId } from './service/instance-id.ts';
export {
  type OpenedService,
  type OpenServiceOptions,
  openService,
  type ServiceEnv,
  type ServiceLifecycle,
  type ServiceParts,
} from './service/open-service.ts';
export { type ServiceOptions, serviceVerifier, type TokenEnv } from './service/service-options.ts';
export { activeTraceparent, type ClientSpan, inClientSpan, startClientSpan } from './telemetry/client-span.ts';
export { type StopTelemetry, startTelemetry, type TelemetryOptions } from './telemetry/start-telemetry.ts';
