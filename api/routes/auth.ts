import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE, principalOf } from '../auth/authenticate.ts';
import { TokenInputError, type TokenRecord } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { CreateTokenBody, ErrorResponse, MeView, SessionBody, TokenIdParams, TokenView } from '../schemas.ts';
import { shippedChecklist } from '../dossiers/submission.ts';

const SESSION_SECONDS = 12 * 3600;

function tokenView(record: TokenRecord): z.infer<typeof TokenView> {
  const { secretSha256: _hash, ...view } = record;
  return view;
}

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/session',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: '网页登录：以访问令牌换取仅限 HTTP 的会话 Cookie',
        body: SessionBody,
        response: { 200: MeView, 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { token } = request.body as z.infer<typeof SessionBody>;
      const principal = await ctx.tokens.verify(token.trim());
      if (!principal) throw new ApiError('AUTH_INVALID');
      const secure = request.protocol === 'https' ? '; Secure' : '';
      reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(token.trim())}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure}`);
      return { name: principal.name, role: principal.role, jurisdiction: principal.jurisdiction, unit: principal.unit, mode: ctx.processor.mode };
    },
  );

  app.delete(
    '/api/v1/session',
    { config: { auth: 'public' }, schema: { tags: ['auth'], summary: '网页退出', response: { 204: z.null() } } },
    async (_request, reply) => reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`).code(204).send(),
  );

  app.get('/api/v1/me', { schema: { tags: ['auth'], summary: '当前令牌的身份', response: { 200: MeView, 401: ErrorResponse } } }, async (request) => {
    const p = principalOf(request);
    return { name: p.name, role: p.role, jurisdiction: p.jurisdiction, unit: p.unit, mode: ctx.processor.mode };
  });

  app.post(
    '/api/v1/tokens',
    {
      config: { auth: ['admin'] },
      schema: {
        tags: ['auth'],
        summary: '创建访问令牌（仅管理员）；令牌只在此时返回一次，服务器只保存其摘要',
        body: CreateTokenBody,
        response: { 201: z.object({ token: z.string(), record: TokenView }), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      const body = request.body as z.infer<typeof CreateTokenBody>;
      if (body.jurisdiction) shippedChecklist(body.jurisdiction);
      try {
        const { token, record } = await ctx.tokens.create(body);
        request.log.info({ tokenId: record.id, role: record.role }, 'token created');
        return reply.code(201).send({ token, record: tokenView(record) });
      } catch (error) {
        if (error instanceof TokenInputError) throw new ApiError('VALIDATION_FAILED', error.message);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/tokens',
    { config: { auth: ['admin'] }, schema: { tags: ['auth'], summary: '列出访问令牌（不含令牌本身）', response: { 200: z.object({ tokens: z.array(TokenView) }), 401: ErrorResponse, 403: ErrorResponse } } },
    async () => ({ tokens: (await ctx.tokens.list()).map(tokenView) }),
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { auth: ['admin'] },
      schema: { tags: ['auth'], summary: '吊销访问令牌', params: TokenIdParams, response: { 200: TokenView, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse } },
    },
    async (request) => {
      const { id } = request.params as z.infer<typeof TokenIdParams>;
      const revoked = await ctx.tokens.revoke(id);
      if (!revoked) throw new ApiError('TOKEN_NOT_FOUND');
      return tokenView(revoked);
    },
  );
}
