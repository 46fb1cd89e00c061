// The engine's public face: create, decide, evolve, fold, and the per-audience views. No I/O anywhere below here.
export { createGame, decide, type Decision } from './decide.ts';
export { evolve, fold } from './evolve.ts';
export { viewFor, viewSections, changedSections, SECTIONS, audiences, audienceKey, roundLabel } from './views.ts';
export { heldCounts, messagesSince, olderMessages } from './chat-view.ts';
export { isDomainError, fail, type DomainError, type ErrorCode } from './errors.ts';
export type * from './types.ts';
export { STATE_FORMAT } from './types.ts';
export { internState } from './intern.ts';
