/** What the job says it does (`needs`, `repositories`), as closed, ordered action lists. */
import { badInput } from './errors.js';
import type { Action, RegistryRef, RepositoryNeed } from './model.js';
import { normaliseRepository, quoteInput } from './reference.js';

/** Every action, in the order lists are shown. */
export const ACTIONS: readonly Action[] = ['pull', 'push', 'delete'];
const NEEDS_FORM = 'a comma list of pull, push, delete (e.g. pull,push)';
const LIST_FORM =
  'one repository per line or separated by spaces, each NAME or NAME:ACTIONS without spaces, where ACTIONS is a comma list of pull, push, delete (e.g. myorg/app:pull,push)';

export function isAction(word: string): word is Action {
  return (ACTIONS as readonly string[]).includes(word);
}

/** Adds what the registries imply (pushing and deleting both need pull) and orders pull, push, delete. */
export function closeActions(actions: readonly Action[]): Action[] {
  const wanted = new Set(actions);
  if (wanted.has('push') || wanted.has('delete')) wanted.add('pull');
  return ACTIONS.filter((action) => wanted.has(action));
}

export function parseNeeds(input: string, field = 'needs'): Action[] {
  return closeActions(parseActionList(input.trim(), field, NEEDS_FORM, undefined));
}

/** `context` names the repository-list entry the actions came from, for the message. */
function parseActionList(text: string, field: string, validForm: string, context: string | undefined): Action[] {
  const where = context === undefined ? '' : ` (in ${context})`;
  if (text === '') throw badInput(field, `no action is named${where}.`, validForm);
  const actions: Action[] = [];
  for (const item of text.split(',')) {
    const word = item.trim().toLowerCase();
    if (word === '') throw badInput(field, `${quoteInput(text)} has an empty entry in its action list${where}.`, validForm);
    if (!isAction(word)) throw badInput(field, `${quoteInput(item.trim())} is not an action${where}.`, validForm);
    actions.push(word);
  }
  return actions;
}

/**
 * Reads `NAME` or `NAME:ACTIONS` entries separated by whitespace. A name without actions gets
 * `defaultNeeds`; a repository named twice (also `alpine` and `library/alpine` on Docker Hub)
 * needs the union of both entries.
 */
export function parseRepositoryList(
  input: string,
  registry: RegistryRef,
  defaultNeeds: readonly Action[],
  field = 'repositories',
): RepositoryNeed[] {
  const defaults = closeActions(defaultNeeds);
  const merged = new Map<string, Action[]>();
  for (const entry of input.split(/\s+/)) {
    if (entry === '') continue;
    // The actions follow the first ':' after the last '/', so a host:port prefix is still seen as a host.
    const colon = entry.indexOf(':', entry.lastIndexOf('/') + 1);
    const name = normaliseRepository(colon === -1 ? entry : entry.slice(0, colon), registry, field);
    const actions = colon === -1 ? defaults : parseActionList(entry.slice(colon + 1), field, LIST_FORM, quoteInput(entry));
    merged.set(name, closeActions([...(merged.get(name) ?? []), ...actions]));
  }
  return [...merged].map(([name, actions]) => ({ name, actions }));
}
