import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Action } from '../../src/core/model.js';
import { formatScope, parseScope } from '../../src/core/scope.js';

const component = fc.stringMatching(/^[a-z0-9]{1,4}(?:(?:[._]|__|-{1,2})[a-z0-9]{1,4}){0,2}$/);
const host = fc.oneof(
  fc.constantFrom('localhost', '127.0.0.1', '[::1]', 'registry.example.com'),
  fc.stringMatching(/^[a-z0-9]{1,6}\.[a-z]{2,4}$/),
);
const repository = fc
  .tuple(fc.option(fc.tuple(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })), { nil: undefined }), fc.array(component, { minLength: 1, maxLength: 4 }))
  .map(([prefix, path]) => {
    // Without a host, a first component with a '.' would read as one (as in image references).
    const hostPart = prefix === undefined ? (path[0]?.includes('.') ? ['ns'] : []) : [prefix[1] === undefined ? prefix[0] : `${prefix[0]}:${prefix[1]}`];
    return [...hostPart, ...path].join('/');
  });
const actions = fc.subarray<Action>(['pull', 'push', 'delete']);

describe('formatScope', () => {
  it('writes the repository scope the token server expects', () => {
    expect(formatScope('alice/app', ['pull', 'push'])).toBe('repository:alice/app:pull,push');
    expect(formatScope('library/alpine', ['pull'])).toBe('repository:library/alpine:pull');
    expect(formatScope('alice/app', [])).toBe('repository:alice/app:');
  });
});

describe('parseScope', () => {
  it.each([
    ['repository:library/alpine:pull', { type: 'repository', name: 'library/alpine', actions: ['pull'] }],
    ['repository:samalba/my-app:pull,push', { type: 'repository', name: 'samalba/my-app', actions: ['pull', 'push'] }],
    ['registry:catalog:*', { type: 'registry', name: 'catalog', actions: ['*'] }],
    ['repository(plugin):alice/plug:pull', { type: 'repository', name: 'alice/plug', actions: ['pull'] }],
    ['repository:localhost:5000/app:pull,push', { type: 'repository', name: 'localhost:5000/app', actions: ['pull', 'push'] }],
    ['repository:[::1]:5000/a/b:delete', { type: 'repository', name: '[::1]:5000/a/b', actions: ['delete'] }],
    ['repository:alice/app:', { type: 'repository', name: 'alice/app', actions: [] }],
    ['repository:alice/app:metadata_read', undefined],
    ['repository:alice/app:pull,read', { type: 'repository', name: 'alice/app', actions: ['pull', 'read'] }],
  ])('reads %s', (text, expected) => {
    expect(parseScope(text)).toEqual(expected);
  });

  it.each([
    '',
    'repository',
    'repository:alice/app',
    ':alice/app:pull',
    'Repository:alice/app:pull',
    'repository:Alice/app:pull',
    'repository:alice/app:PULL',
    'repository:alice/app:pull push',
    'repository:a:pull repository:b:pull',
    'repository:alice/app:pull,,push',
    'repository::pull',
    'repository:alice//app:pull',
    'repository:alice/app:**',
    'repository(:a:pull',
    'repository:a.b_/c:pull',
    'repository:-a.b/c:pull',
  ])('does not read %j', (text) => {
    expect(parseScope(text)).toBeUndefined();
  });

  it('reads back what formatScope writes, ports included', () => {
    fc.assert(
      fc.property(repository, actions, (name, list) => {
        expect(parseScope(formatScope(name, list))).toEqual({ type: 'repository', name, actions: list });
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws, and what it reads it can write back', () => {
    const soup = fc
      .array(fc.constantFrom('repository', 'registry', ':', '/', 'a', 'localhost', '5000', 'pull', ',', '*', '(', ')', '[', ']', ' ', 'A'), { maxLength: 12 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), soup), (text) => {
        const scope = parseScope(text);
        if (scope !== undefined) expect(`${scope.type}:${scope.name}:${scope.actions.join(',')}`).toBe(text.replace(/^(\w+)\(\w+\)/, '$1'));
      }),
      { numRuns: 4000 },
    );
  });

  it('returns on huge hostile input', () => {
    for (const text of [':'.repeat(300_000), `repository:${'a-'.repeat(200_000)}:pull`, `repository:${'a'.repeat(200_000)}!/x:pull`, `repository:x:${'pull,'.repeat(100_000)}`]) {
      expect(parseScope(text)).toBeUndefined();
    }
  });
});
