/**
 * The closed loop of a referral (つなぎ), declared once for the server and the
 * web app. Types and plain data only: the web bundle imports this file as it is.
 */
export const REFERRAL_STATUSES = ['sent', 'accepted', 'declined', 'first_contact', 'ongoing', 'completed', 'returned'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** What may follow each status (the receiving organisation moves it; a referral is never sent again). */
export const REFERRAL_NEXT: Record<ReferralStatus, readonly Exclude<ReferralStatus, 'sent'>[]> = {
  sent: ['accepted', 'declined'],
  accepted: ['first_contact', 'returned'],
  first_contact: ['ongoing', 'completed', 'returned'],
  ongoing: ['completed', 'returned'],
  declined: [],
  completed: [],
  returned: [],
};
