import type { z } from 'zod';
import type { createStaffBody, resetPasswordBody, updateStaffBody } from '../../../functions/admin/schemas';
import type { StaffListAnswer } from '../../../functions/admin/views';
import type { StaffView } from '../../../functions/staff/staff';
import { request } from './client';

/** POST /staff's body. */
export type NewStaff = z.input<typeof createStaffBody>;

/** PATCH /staff/:loginId's body: only what changes. */
export type StaffChange = z.input<typeof updateStaffBody>;

export const listStaff = async () => (await request<StaffListAnswer>('GET', '/staff')).items;
export const createStaff = (input: NewStaff) => request<StaffView>('POST', '/staff', { body: input });
export const updateStaff = (loginId: string, change: StaffChange) => request<StaffView>('PATCH', `/staff/${encodeURIComponent(loginId)}`, { body: change });
export const resetPassword = (loginId: string, newPassword: string) =>
  request<void>('POST', `/staff/${encodeURIComponent(loginId)}/reset-password`, { body: { newPassword } satisfies z.input<typeof resetPasswordBody> });
