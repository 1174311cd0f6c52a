import { request } from './client';
import type { Dashboard } from './types';

export const getDashboard = () => request<Dashboard>('GET', '/dashboard');
