/** What every admin use case receives besides its input: the signed-in staff member and where the request came from. */
import type { Session } from '../staff/session';
import type { StaffAccount } from '../staff/staff';

export interface RequestInfo {
  ip: string;
}

export interface SignedIn extends RequestInfo {
  account: StaffAccount;
  session: Session;
}
