/** A role binding's subject as a person reads it. */
export const subjectLabel = (subject: Record<string, unknown>): string =>
  subject['kind'] === 'group' ? `group ${String(subject['group'])} (IdP ${String(subject['idpId'])})` : `user ${String(subject['subject'])} (${String(subject['issuer'])})`;
