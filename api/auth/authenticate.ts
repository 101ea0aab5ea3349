import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { Principal, Role } from './tokens.ts';

/**
 * How a caller proves who they are: `Authorization: Bearer dkt_…` (systems, curl), or the session cookie the web UI
 * gets from `POST /api/v1/session`. A cookie rides along on any request the browser makes, so a change made with
 * it must carry the `X-Dossier-UI` header, which a page of another site cannot add without CORS (which is off).
 */

export const SESSION_COOKIE = 'dossier_session';
export const UI_HEADER = 'x-dossier-ui';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Who may call the route: public (no token), any signed-in role, or only the listed roles. Default 'token'. */
    auth?: 'public' | 'token' | readonly Role[];
  }
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function authHook(ctx: AppContext) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    // Unknown addresses answer 404 whoever asks; Swagger UI's routes (registered by its plugin) are public docs.
    if (request.is404 || request.routeOptions.url?.startsWith('/docs')) return;
    const rule = request.routeOptions.config?.auth ?? 'token';
    if (rule === 'public') return;
    const header = request.headers.authorization;
    let token: string | undefined;
    let viaCookie = false;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new ApiError('AUTH_INVALID', 'Authorization 头应为“Bearer 令牌”');
      token = match[1];
    } else {
      token = readCookie(request, SESSION_COOKIE);
      viaCookie = token !== undefined;
    }
    if (!token) throw new ApiError('AUTH_REQUIRED');
    const principal = await ctx.tokens.verify(token);
    if (!principal) throw new ApiError('AUTH_INVALID');
    if (viaCookie && !['GET', 'HEAD', 'OPTIONS'].includes(request.method) && request.headers[UI_HEADER] === undefined) {
      throw new ApiError('CSRF_HEADER_MISSING');
    }
    if (Array.isArray(rule) && !rule.includes(principal.role)) throw new ApiError('FORBIDDEN');
    request.principal = principal;
  };
}

/** The caller of a route that is not public (the hook has run). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError('AUTH_REQUIRED');
  return request.principal;
}
