/**
 * What clients read in `detail`. The legacy events API's sentences are quoted by clients written against it,
 * so they must not change by a character.
 */
export const Messages = {
  alreadyRegistered: 'You are already registered for this event.',
  eventFull: 'This event is full.',
  pastEvent: 'Cannot register for past events.',
  inactiveEvent: 'This event is not active.',
  notRegistered: 'You are not registered for this event.',
  unregistered: 'Successfully unregistered from the event.',
  onlyOrganizerAttendees: 'Only the organizer can view attendees.',
  // Ours (no legacy API has them).
  unregisterPast: 'Cannot unregister from past events.',
  notWaitlisted: 'You are not on the waitlist for this event.',
  leftWaitlist: 'Successfully left the waitlist.',
  noOffer: 'You have no seat offer for this event.',
  offerExpired: 'Your seat offer has expired.',
  onlyHostOrCohost: 'Only the host or a co-host can do this.',
  onlyHost: 'Only the host can do this.',
  eventNotFound: 'Not found.',
  registrationNotFound: 'Registration not found.',
  notConfirmed: 'Only a confirmed registration can be checked in.',
  busy: 'Your registration is being changed by another request; try again shortly.',
} as const;
