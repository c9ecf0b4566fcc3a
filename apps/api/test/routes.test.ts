import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { describe, expect, it } from 'vitest';
import { CONTROLLERS } from '../src/app.module';
import { openApiDocument } from '../src/openapi/document';

const METHODS = ['get', 'post', 'put', 'delete', 'patch', 'options', 'head', 'all'];

/** Every route the controllers declare, as `METHOD /path` with OpenAPI-style parameters. */
function declaredRoutes(): Array<{ method: string; path: string; handler: object; controller: object }> {
  return CONTROLLERS.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const proto = controller.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor' && Reflect.getMetadata(PATH_METADATA, proto[name] as object) !== undefined)
      .map((name) => {
        const handler = proto[name] as object;
        const sub = String(Reflect.getMetadata(PATH_METADATA, handler));
        const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number]!;
        const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/:(\w+)/g, '{$1}');
        return { method, path, handler, controller };
      });
  });
}

describe('API routes', () => {
  it('every route appears in the OpenAPI document', () => {
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    const routes = declaredRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(6);
    for (const r of routes)
      expect(paths[r.path]?.[r.method], `${r.method.toUpperCase()} ${r.path}`).toEqual(
        expect.objectContaining({ summary: expect.any(String), responses: expect.any(Object) }),
      );
  });

  it('every route declares who may call it (deny by default)', () => {
    for (const r of declaredRoutes()) {
      const policy = ['tandem:public', 'tandem:roles'].some((key) => Reflect.getMetadata(key, r.handler) ?? Reflect.getMetadata(key, r.controller));
      expect(policy, `${r.method.toUpperCase()} ${r.path} has no access policy`).toBe(true);
    }
  });
});
