// A room's contacts: the addresses its invitations are e-mailed to.
import { z } from 'zod';

export const MAX_CONTACT_EMAILS = 10;

/** Trimmed, lower-cased, each a valid address, no duplicates, at most MAX_CONTACT_EMAILS. */
export const contactEmailsSchema = z
  .array(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: 'Địa chỉ thư điện tử không hợp lệ / not an e-mail address' }).max(254)),
  )
  .max(MAX_CONTACT_EMAILS, { error: `Tối đa ${MAX_CONTACT_EMAILS} địa chỉ / at most ${MAX_CONTACT_EMAILS} addresses` })
  .transform((list) => [...new Set(list)]);
