import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DockerPatError } from '../../src/core/errors.js';
import type { Action } from '../../src/core/model.js';
import { ACTIONS, closeActions, parseNeeds, parseRepositoryList } from '../../src/core/needs.js';
import { parseRegistry } from '../../src/core/reference.js';
import { thrownBy } from '../support/docker-pat-error.js';

const HUB = parseRegistry('docker.io');
const GITLAB = parseRegistry('registry.gitlab.com');

function returnsOrRejectsAsBadInput(run: () => unknown, field: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DockerPatError);
    const e = error as DockerPatError;
    expect(e.code).toBe('bad-input');
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
    expect(e.fix).toMatch(/^Use .+\.$/);
  }
}

function isClosedAndOrdered(actions: Action[]): boolean {
  const ordered = ACTIONS.filter((action) => actions.includes(action));
  const closed = !(actions.includes('push') || actions.includes('delete')) || actions.includes('pull');
  return closed && JSON.stringify(ordered) === JSON.stringify(actions);
}

const action = fc.constantFrom<Action>('pull', 'push', 'delete');
const actionList = fc.array(action, { minLength: 1, maxLength: 5 });
const repositoryName = fc
  .array(fc.stringMatching(/^[a-z0-9]{1,5}(?:[-_][a-z0-9]{1,3})?$/), { minLength: 1, maxLength: 3 })
  .map((components) => components.join('/'));

describe('closeActions', () => {
  it.each<[Action[], Action[]]>([
    [[], []],
    [['pull'], ['pull']],
    [['push'], ['pull', 'push']],
    [['delete'], ['pull', 'delete']],
    [['delete', 'push', 'pull', 'push'], ['pull', 'push', 'delete']],
  ])('%j → %j', (input, expected) => {
    expect(closeActions(input)).toEqual(expected);
  });

  it('is closed, ordered, a superset of its input and idempotent', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 6 }), (actions) => {
        const closed = closeActions(actions);
        expect(isClosedAndOrdered(closed)).toBe(true);
        for (const a of actions) expect(closed).toContain(a);
        expect(closeActions(closed)).toEqual(closed);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseNeeds', () => {
  it.each<[string, Action[]]>([
    ['pull', ['pull']],
    ['push', ['pull', 'push']],
    ['delete', ['pull', 'delete']],
    ['pull,push', ['pull', 'push']],
    ['delete,push', ['pull', 'push', 'delete']],
    [' Push , PULL ', ['pull', 'push']],
    ['pull,pull', ['pull']],
    ['push\n', ['pull', 'push']],
  ])('%j → %j', (input, expected) => {
    expect(parseNeeds(input)).toEqual(expected);
  });

  it('says what is wrong with a misspelt action and lists the valid ones', () => {
    const error = thrownBy(() => parseNeeds('pull,pusj'));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('needs');
    expect(error.message).toBe("needs: 'pusj' is not an action.");
    expect(error.fix).toBe('Use a comma list of pull, push, delete (e.g. pull,push).');
  });

  it.each([
    ['', 'no action is named'],
    ['  ', 'no action is named'],
    ['pull,,push', 'empty entry'],
    ['pull,', 'empty entry'],
    [',', 'empty entry'],
    ['read', "'read' is not an action"],
    ['*', "'*' is not an action"],
    ['pull push', "'pull push' is not an action"],
    ['pull;push', "'pull;push' is not an action"],
  ])('rejects %j (%s)', (input, problem) => {
    const error = thrownBy(() => parseNeeds(input));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain(problem);
  });

  it('names the field it was given', () => {
    expect(thrownBy(() => parseNeeds('x', '--needs')).message).toBe("--needs: 'x' is not an action.");
  });

  it('reads every comma list of actions, whatever the spacing and case', () => {
    fc.assert(
      fc.property(actionList, fc.array(fc.constantFrom('', ' ', '\t'), { minLength: 2, maxLength: 2 }), fc.boolean(), (actions, [before, after], upper) => {
        const text = actions.map((a) => `${before}${upper ? a.toUpperCase() : a}${after}`).join(',');
        expect(parseNeeds(text)).toEqual(closeActions(actions));
      }),
      { numRuns: 2000 },
    );
  });

  it('throws nothing but bad-input for any text', () => {
    const soup = fc.array(fc.constantFrom('pull', 'push', 'delete', ',', ' ', 'PUSH', 'x', '*', '\n'), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), soup), (input) => {
        returnsOrRejectsAsBadInput(() => {
          expect(isClosedAndOrdered(parseNeeds(input))).toBe(true);
        }, 'needs');
      }),
      { numRuns: 4000 },
    );
  });

  it('returns on huge hostile input', () => {
    for (const input of ['pull,'.repeat(200_000), `${'pull,'.repeat(200_000)}pull`, ' '.repeat(500_000), 'x'.repeat(500_000)]) {
      returnsOrRejectsAsBadInput(() => parseNeeds(input), 'needs');
    }
  });
});

describe('parseRepositoryList', () => {
  it('reads one entry per line or per space, with or without actions', () => {
    const text = 'alpine\nmyorg/app:push\r\n\tmyorg/tool:pull,delete   other/x:PULL\n\n';
    expect(parseRepositoryList(text, HUB, ['pull'])).toEqual([
      { name: 'library/alpine', actions: ['pull'] },
      { name: 'myorg/app', actions: ['pull', 'push'] },
      { name: 'myorg/tool', actions: ['pull', 'delete'] },
      { name: 'other/x', actions: ['pull'] },
    ]);
  });

  it('gives names without actions the closed default needs', () => {
    expect(parseRepositoryList('group/project/image', GITLAB, ['push'])).toEqual([{ name: 'group/project/image', actions: ['pull', 'push'] }]);
  });

  it('merges a repository named twice, also under its normalised name', () => {
    expect(parseRepositoryList('alpine:pull library/alpine:delete myorg/app alpine:push myorg/app', HUB, ['pull'])).toEqual([
      { name: 'library/alpine', actions: ['pull', 'push', 'delete'] },
      { name: 'myorg/app', actions: ['pull'] },
    ]);
  });

  it('keeps names as they are outside Docker Hub', () => {
    expect(parseRepositoryList('alpine', GITLAB, ['pull'])).toEqual([{ name: 'alpine', actions: ['pull'] }]);
  });

  it('is empty for an empty or blank list', () => {
    expect(parseRepositoryList('', HUB, ['pull'])).toEqual([]);
    expect(parseRepositoryList(' \n\t\r\n', HUB, ['pull'])).toEqual([]);
  });

  it.each([
    ['myorg/app:', 'no action is named', "'myorg/app:'"],
    ['myorg/app:pusj', "'pusj' is not an action", "'myorg/app:pusj'"],
    ['myorg/app:pull,,push', 'empty entry', "'myorg/app:pull,,push'"],
    ['alpine:3.19', "'3.19' is not an action", "'alpine:3.19'"],
    ['ghcr.io/owner/app', 'registry host', "'ghcr.io/owner/app'"],
    ['localhost:5000/app:pull', 'registry host', "'localhost:5000/app'"],
    ['MyOrg/app', 'uppercase', "'MyOrg/app'"],
    ['a,b', 'not a valid repository path', "'a,b'"],
    [':pull', 'is empty', ''],
  ])('rejects %j (%s)', (input, problem, quoted) => {
    const error = thrownBy(() => parseRepositoryList(`library/ok ${input}`, HUB, ['pull']));
    expect(error.code).toBe('bad-input');
    expect(error.field).toBe('repositories');
    expect(error.message).toMatch(/^repositories: /);
    expect(error.message).toContain(problem);
    expect(error.message).toContain(quoted);
    expect(error.fix).toMatch(/^Use /);
  });

  it('names the field it was given', () => {
    expect(thrownBy(() => parseRepositoryList('A', HUB, ['pull'], '--repository')).message).toMatch(/^--repository: /);
  });

  it('matches a model: every entry, closed, merged by normalised name in first-seen order', () => {
    const entry = fc.record({ name: repositoryName, actions: fc.option(actionList, { nil: undefined }) });
    const separator = fc.constantFrom(' ', '\n', '\r\n', '\t', '  \n ');
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), separator, fc.array(action, { maxLength: 3 }), fc.boolean(), (entries, sep, defaults, onHub) => {
        const registry = onHub ? HUB : GITLAB;
        const text = entries.map((e) => (e.actions ? `${e.name}:${e.actions.join(',')}` : e.name)).join(sep);
        const expected = new Map<string, Action[]>();
        for (const e of entries) {
          const name = onHub && !e.name.includes('/') ? `library/${e.name}` : e.name;
          expected.set(name, closeActions([...(expected.get(name) ?? []), ...(e.actions ?? defaults)]));
        }
        expect(parseRepositoryList(text, registry, defaults)).toEqual([...expected].map(([name, actions]) => ({ name, actions })));
      }),
      { numRuns: 2000 },
    );
  });

  it('throws nothing but bad-input for any text', () => {
    const soup = fc
      .array(fc.constantFrom('alpine', 'myorg/app', ':', ',', 'pull', 'push', ' ', '\n', '/', 'ghcr.io', 'A', '@', '.'), { maxLength: 10 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), soup), fc.boolean(), (input, onHub) => {
        returnsOrRejectsAsBadInput(() => {
          for (const need of parseRepositoryList(input, onHub ? HUB : GITLAB, ['pull'])) expect(isClosedAndOrdered(need.actions)).toBe(true);
        }, 'repositories');
      }),
      { numRuns: 4000 },
    );
  });

  it('returns on huge hostile input', () => {
    for (const input of ['a\n'.repeat(100_000), 'a:pull,'.repeat(100_000), ':'.repeat(300_000), '/'.repeat(300_000), `a:${'pull,'.repeat(100_000)}pull`]) {
      returnsOrRejectsAsBadInput(() => parseRepositoryList(input, HUB, ['pull']), 'repositories');
    }
  });
});
