/**
 * Keys of citizen reports (docs/data-model.md).
 * - Report: PK REPORT#<reportId>  SK REPORT  GSI1 REPORTS#<category> / <createdAt ISO>#<reportId> (lists and the map, newest first, per category)
 * - Receipt number: PK REPORTNO#<receiptNo>  SK REPORT  → reportId (written with the report, in one transaction)
 * - Settings: PK REPORTS  SK #SETTINGS;  receipt numbers: PK REPORTS  SK #SEQ#<year> (an atomic counter)
 */
export const reportKey = (reportId: string) => ({ PK: `REPORT#${reportId}`, SK: 'REPORT' });
export const categoryPartition = (category: string) => `REPORTS#${category}`;
export const listSortKey = (createdAt: string, reportId: string) => `${createdAt}#${reportId}`;
export const reportSettingsKey = () => ({ PK: 'REPORTS', SK: '#SETTINGS' });
export const receiptCounterKey = (year: number) => ({ PK: 'REPORTS', SK: `#SEQ#${year}` });
export const receiptKey = (receiptNo: string) => ({ PK: `REPORTNO#${receiptNo}`, SK: 'REPORT' });
