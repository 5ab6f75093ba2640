import type { AddressInfo } from 'node:net';
import 'reflect-metadata';
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  type ExecutionContext,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Injectable,
  Module,
  Param,
  Post,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { SkipThrottle, ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ENVELOPE_429, failure, importFound, importQueued, loadClients, ok, session, usage, verification } from '../authmatech-fixtures.js';

/** Defects a broken variant switches on; none gives the correct app. */
export type AuthmatechNestDefect =
  /** @nestjs/throttler's default block: a client over the limit is blocked for a whole ttl from its first 429. */
  'default-block-duration';

export interface AuthmatechNestOptions {
  limit?: number;
  windowMs?: number;
  defect?: AuthmatechNestDefect;
}

const CLIENT_KEYS = Symbol('CLIENT_KEYS');

/** X-API-KEY must match the X-CLIENT-ID's key; runs after the throttler (a global guard), so rejected calls are counted. */
@Injectable()
class ApiKeyGuard implements CanActivate {
  constructor(@Inject(CLIENT_KEYS) private readonly keys: Map<string, string>) {}
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const id = req.get('x-client-id');
    if (id === undefined || this.keys.get(id) !== req.get('x-api-key')) throw new UnauthorizedException('Invalid or missing X-API-KEY / X-CLIENT-ID.');
    return true;
  }
}

/** Every error in the standard envelope; the throttler's 429 as the documented one. */
@Catch(HttpException)
class EnvelopeFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    const status = exception.getStatus();
    if (status === 429) res.status(429).json(ENVELOPE_429);
    else res.status(status).json(failure(exception.message, status === 401 ? 'UNAUTHORIZED' : status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST'));
  }
}

@Controller('v1/api')
@UseGuards(ApiKeyGuard)
class ApiController {
  @Post('identity/verify')
  @HttpCode(200)
  verify() {
    return verification();
  }

  @Get('identity/sessions/:sessionId')
  session(@Param('sessionId') sessionId: string) {
    return session(sessionId);
  }

  @Get('portal/analytics/usage')
  usage() {
    return usage();
  }

  @Post('connect/imports')
  @HttpCode(202)
  startImport() {
    return importQueued();
  }

  @Get('connect/imports/:importId')
  findImport(@Param('importId') importId: string) {
    return importFound(importId);
  }
}

@SkipThrottle()
@Controller()
class PublicController {
  @Get('health')
  health() {
    return ok('OK', { status: 'UP' });
  }

  @Get('v1/status')
  status() {
    return ok('All systems operational.', { status: 'OPERATIONAL' });
  }
}

/**
 * Authmatech on NestJS 12 with @nestjs/throttler, as Nest's rate-limiting docs show: ThrottlerModule.forRoot
 * with one throttler (ttl = the window, limit), the ThrottlerGuard as a global guard, @SkipThrottle() on the
 * public controller outside /v1/api. The budget is per client across every route, so `getTracker` names the
 * known X-CLIENT-ID (else the IP) and `generateKey` drops the per-route prefix; `blockDuration: 0`, which the
 * throttler's README documents, lets a client back in as soon as its window allows (the default blocks it for
 * a whole ttl from its first 429). An exception filter answers in the standard envelope.
 */
export function createAuthmatechModule(options: AuthmatechNestOptions = {}) {
  const clients = loadClients();
  const blockDuration = options.defect === 'default-block-duration' ? {} : { blockDuration: 0 };
  @Module({
    imports: [
      ThrottlerModule.forRoot({
        throttlers: [{ ttl: options.windowMs ?? 60_000, limit: options.limit ?? 1000, ...blockDuration }],
        getTracker: (req: Record<string, unknown>) => {
          const id = (req as unknown as Request).get('x-client-id');
          return id !== undefined && clients.has(id) ? `client:${id}` : `ip:${(req as unknown as Request).ip}`;
        },
        generateKey: (_context, tracker) => tracker,
      }),
    ],
    controllers: [ApiController, PublicController],
    providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }, { provide: CLIENT_KEYS, useValue: clients }, ApiKeyGuard],
  })
  class AuthmatechModule {}
  return AuthmatechModule;
}

/** Starts the Nest app (Express platform) on 127.0.0.1 and a free port. */
export async function startAuthmatechNest(options: AuthmatechNestOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const app = await NestFactory.create(createAuthmatechModule(options), { logger: false });
  app.useGlobalFilters(new EnvelopeFilter());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
