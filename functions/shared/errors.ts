/**
 * Domain errors. Each maps to one HTTP status in http.ts; anything else is a 500
 * with a generic message and the cause logged.
 * `message` is safe to show to the caller (Japanese for staff-facing routes).
 */
export class DomainError extends Error {
  readonly status: number = 400;
  readonly code: string = 'bad_request';
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  override readonly status = 400;
  override readonly code = 'validation_failed';
}

export class UnauthorizedError extends DomainError {
  override readonly status = 401;
  override readonly code = 'unauthorized';
}

export class ForbiddenError extends DomainError {
  override readonly status = 403;
  override readonly code = 'forbidden';
}

export class NotFoundError extends DomainError {
  override readonly status = 404;
  override readonly code = 'not_found';
}

export class ConflictError extends DomainError {
  override readonly status = 409;
  override readonly code = 'conflict';
}

export class PayloadTooLargeError extends DomainError {
  override readonly status = 413;
  override readonly code = 'payload_too_large';
}

/** A limit of LINE's (or ours) is used up for now: try again later (the message says when). */
export class TooManyRequestsError extends DomainError {
  override readonly status = 429;
  override readonly code = 'too_many_requests';
}

/** A service we depend on (LINE) did not take the request now; trying again is safe (the message says so). */
export class UpstreamError extends DomainError {
  override readonly status = 502;
  override readonly code = 'upstream';
}
