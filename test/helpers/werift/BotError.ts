/** A bot gave up: the hub refused or did not answer, a transport never connected, or it was kicked. */
export class BotError extends Error {}
