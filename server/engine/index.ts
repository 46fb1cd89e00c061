// The engine's public face: create, decide, evolve, fold, and the per-audience views. No I/O anywhere below here.
export { actorGone, createGame, decide, playerGone, type Decision } from './decide.ts';
export { evolve, fold, seqOf } from './evolve.ts';
export { eventProblem } from './event-types.ts';
export {
  viewFor,
  wireView,
  catalogueFor,
  olderReveals,
  archivedEntries,
  changedSections,
  SECTIONS,
  audiences,
  audienceKey,
  dealSeenByAll,
} from './views.ts';
export { Dice, SecretDice, diceCommitment, seedChosen, seedState } from './dice.ts';
export { NotRevealedYet, verifyDice, type DiceReport } from './verify-dice.ts';
export { actionOpen, tierOpen } from './tiers.ts';
export { spentOnce } from './wheel.ts';
export { holds, objectivesOf, scores, underWay } from './conditions.ts';
export { channelsFor } from './channels.ts';
export {
  allMessages,
  channelLength,
  heldCounts,
  messagesSince,
  olderMessages,
  readableChannels,
  readableMessages,
} from './chat-view.ts';
export { isDomainError, fail, seatChanged, type DomainError, type ErrorCode } from './errors.ts';
export type * from './types.ts';
export { MESSAGE_CHUNK, STATE_FORMAT } from './types.ts';
export { internState } from './intern.ts';
