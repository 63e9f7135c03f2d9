import { DomainError } from '../../domain/domain-error.js';

export const MAX_PAGE_SIZE = 100;

/** `first` as asked, or a VALIDATION error when it is outside 1..max. */
export const pageSize = (first: number, max = MAX_PAGE_SIZE): number => {
  if (first < 1 || first > max) throw new DomainError('VALIDATION', 'page.size_out_of_range', `first must be between 1 and ${max}`);
  return first;
};
