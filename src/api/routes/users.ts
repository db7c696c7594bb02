import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  countActiveAdmins,
  createUser,
  DuplicateUserError,
  getUserById,
  type Principal,
  revokeUserSessions,
  setUserPassword,
  updateUser,
  listUsers,
} from '../../auth/index.js';
import { inTransaction } from '../../db/index.js';
import { errorSchema } from '../schemas/common.js';
import { emailSchema, passwordSchema, roleSchema, userSchema } from '../schemas/auth.js';
import { toUserBody } from './auth.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });

/** Console users (admins only): list, create, change role, disable, set a new password. */
const userRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const { db } = fastify;

  fastify.get(
    '/api/users',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'List console users',
        response: { 200: z.object({ items: z.array(userSchema) }) },
      },
    },
    async () => ({ items: (await listUsers(db)).map(toUserBody) }),
  );

  fastify.post(
    '/api/users',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Create a console user',
        body: z.object({ email: emailSchema, password: passwordSchema, role: roleSchema }),
        response: { 201: userSchema, 400: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      try {
        const user = await createUser(db, request.body);
        await request.audit({
          action: 'user.create',
          target: { type: 'user', id: String(user.id) },
          details: { email: user.email, role: user.role },
        });
        return reply.code(201).send(toUserBody(user));
      } catch (error) {
        if (error instanceof DuplicateUserError) throw fastify.httpErrors.conflict(error.message);
        throw error;
      }
    },
  );

  fastify.patch(
    '/api/users/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Change a user: role, disabled, password (ends their sessions)',
        params: idParams,
        body: z
          .object({ role: roleSchema, disabled: z.boolean(), password: passwordSchema })
          .partial()
          .refine((b) => Object.keys(b).length > 0, 'give role, disabled or password'),
        response: { 200: userSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { role, disabled, password } = request.body;
      const actor = request.user as Principal;
      const user = await inTransaction(db, async (trx) => {
        const current = await getUserById(trx, id);
        if (!current) throw fastify.httpErrors.notFound(`No user ${id}.`);
        const losesAdmin =
          current.role === 'admin' &&
          !current.disabled &&
          ((role !== undefined && role !== 'admin') || disabled === true);
        if (losesAdmin && (await countActiveAdmins(trx)) <= 1) {
          throw fastify.httpErrors.conflict('This is the last active admin.');
        }
        if (role !== undefined || disabled !== undefined) {
          await updateUser(trx, id, { role, disabled });
        }
        if (password !== undefined) await setUserPassword(trx, id, password);
        return (await getUserById(trx, id)) ?? current;
      });
      // Changed rights or credentials apply at once: the user logs in again (not the admin
      // changing their own password in this very session, who would be thrown out mid-task).
      const keepSession = actor.via === 'session' && actor.id === id ? actor.credentialId : null;
      if (role !== undefined || disabled === true || password !== undefined) {
        await revokeUserSessions(db, id, { exceptId: keepSession });
      }
      if (role !== undefined || disabled !== undefined) {
        await request.audit({
          action: 'user.update',
          target: { type: 'user', id: String(id) },
          details: { role, disabled },
        });
      }
      if (password !== undefined) {
        await request.audit({
          action: 'user.password_reset',
          target: { type: 'user', id: String(id) },
        });
      }
      return toUserBody(user);
    },
  );
};

export default userRoutes;
