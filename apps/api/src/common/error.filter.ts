import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from '@tandem/config';
import { isDatabaseUnavailable } from '@tandem/db';
import { ApiError } from './api-error';
import { DomainError, HTTP_STATUS_OF } from './domain-error';

/** The one place errors become HTTP responses: `{ error, message, details? }`, no stacks, no PHI. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof ApiError) {
      res
        .status(exception.status)
        .json({ error: exception.error, message: exception.message, ...(exception.details !== undefined ? { details: exception.details } : {}) });
      return;
    }
    if (exception instanceof DomainError) {
      res
        .status(HTTP_STATUS_OF[exception.kind])
        .json({ error: exception.kind, message: exception.message, ...(exception.details !== undefined ? { details: exception.details } : {}) });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const error = status === 404 ? 'not-found' : status === 400 ? 'bad-request' : status === 413 ? 'payload-too-large' : 'http-error';
      const message = status === 404 ? 'no such route' : status === 400 ? 'the request body is not valid JSON' : exception.message;
      res.status(status).json({ error, message });
      return;
    }
    // body-parser's own refusals (before any controller): a body too large, or not JSON.
    const parser = exception as { type?: unknown; status?: unknown };
    if (parser.type === 'entity.too.large' || (parser.status === 413 && typeof parser.type === 'string')) {
      res.status(413).json({ error: 'payload-too-large', message: 'the body is larger than the API accepts' });
      return;
    }
    if (parser.type === 'entity.parse.failed' || parser.type === 'encoding.unsupported' || parser.type === 'charset.unsupported') {
      res.status(400).json({ error: 'bad-request', message: 'the request body is not valid JSON' });
      return;
    }
    // Text PostgreSQL cannot store (a NUL character, a broken encoding) in a field a client sent.
    const sqlstate = (exception as { code?: unknown }).code;
    if (sqlstate === '22021' || sqlstate === '22P05') {
      res.status(400).json({ error: 'bad-request', message: 'the request holds characters that cannot be stored (such as NUL)' });
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.log.warn('database unavailable', { code: (exception as { code?: unknown }).code });
      res.status(503).json({ error: 'unavailable', message: 'the database is unavailable; nothing was recorded, try again' });
      return;
    }
    this.log.error('unhandled error', { name: (exception as Error)?.name });
    res.status(500).json({ error: 'internal', message: 'something went wrong; the error has been logged' });
  }
}
