/**
 * What caused a message: the request or message it follows from. Envelopes carry these as the
 * CloudEvents extensions `correlationid` (the request that started it all) and `causationid`
 * (the message that directly caused this one).
 */
export interface Causes {
  correlationid?: string;
  causationid?: string;
}

/** Causes of messages a request writes: its request id is their correlation id. */
export function causedByRequest(requestId: string | undefined): Causes {
  return requestId ? { correlationid: requestId } : {};
}

/** Causes of messages a handled message writes: same correlation, caused by that message. */
export function causedByMessage(message: { id: string; correlationid?: string }): Causes {
  return { correlationid: message.correlationid ?? message.id, causationid: message.id };
}

/** Only the members that are set, ready to spread into an envelope. */
export function causeFields(causes: Causes | undefined): Causes {
  return {
    ...(causes?.correlationid ? { correlationid: causes.correlationid } : {}),
    ...(causes?.causationid ? { causationid: causes.causationid } : {}),
  };
}
