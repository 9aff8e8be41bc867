/**
 * The one error module. Every error a user can meet has a stable code, an
 * HTTP status and a message that says what to do; field errors name the field.
 */

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, fields: FieldError[] = []) => new AppError('bad_request', 400, message, fields);
export const unauthenticated = (message = 'Sign in to continue.') => new AppError('unauthenticated', 401, message);
export const forbidden = (message = 'Your role does not allow this.') => new AppError('forbidden', 403, message);
/** Also answers for records that exist but are not visible to the user, so their existence does not leak. */
export const notFound = (what = 'record') => new AppError('not_found', 404, `No ${what} with that id is visible to you.`);
export const conflict = (message: string) => new AppError('conflict', 409, message);
export const tooManyRequests = (retryAfterSeconds: number, message = 'Too many attempts. Wait and try again.') =>
  new AppError('too_many_requests', 429, message, [], { 'retry-after': String(retryAfterSeconds) });
export const unavailable = (message = 'The service is unavailable for a moment. Try again shortly.', retryAfterSeconds = 5) =>
  new AppError('unavailable', 503, message, [], { 'retry-after': String(retryAfterSeconds) });
