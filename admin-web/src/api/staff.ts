import { request } from './client';
import type { FunctionId, Role, Staff } from './types';

export interface NewStaff {
  loginId: string;
  displayName: string;
  role: Role;
  permissions: FunctionId[];
  initialPassword: string;
}

export type StaffChange = Partial<Pick<Staff, 'displayName' | 'role' | 'permissions' | 'disabled'>>;

export const listStaff = async () => (await request<{ items: Staff[] }>('GET', '/staff')).items;
export const createStaff = (input: NewStaff) => request<Staff>('POST', '/staff', { body: input });
export const updateStaff = (loginId: string, change: StaffChange) =>
  request<Staff>('PATCH', `/staff/${encodeURIComponent(loginId)}`, { body: change });
export const resetPassword = (loginId: string, newPassword: string) =>
  request<void>('POST', `/staff/${encodeURIComponent(loginId)}/reset-password`, { body: { newPassword } });
