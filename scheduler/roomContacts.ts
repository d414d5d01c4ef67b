// A room's contact addresses as the database keeps them (EndpointRoom.contactEmails, a JSON array).
import { contactEmailsSchema } from '../contract/rest/roomContacts.ts';

/** The stored list; a damaged value reads as no contacts rather than breaking a booking. */
export function readContactEmails(stored: string): string[] {
  try {
    const parsed = contactEmailsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function storeContactEmails(list: readonly string[]): string {
  return JSON.stringify(list);
}

/** A room row as the API shows it: contactEmails as a list, a SIP room's digest HA1 never. */
export function roomView<R extends { contactEmails: string; sipHa1?: string | null; sipDialHa1?: string | null }>(
  room: R,
): Omit<R, 'contactEmails' | 'sipHa1' | 'sipDialHa1'> & { contactEmails: string[] } {
  const { sipHa1: _secret, sipDialHa1: _dialSecret, contactEmails, ...shown } = room;
  return { ...shown, contactEmails: readContactEmails(contactEmails) };
}
