/**
 * Keys of the forms capability (docs/data-model.md, "Forms").
 * - Form:              PK FORM#<formId>  SK FORM                        GSI1PK FORMS  GSI1SK <createdAt>#<formId>
 * - Version snapshot:  PK FORM#<formId>  SK VERSION#<000000n>
 * - Latest response:   PK FORM#<formId>  SK RESPONSE#<userId>     GSI1PK FORM_RESPONSES#<formId>  GSI1SK <submittedAt ISO>#<userId>
 * - Response history:  PK FORM#<formId>  SK HISTORY#<userId>#<submittedAt ISO>
 * - Profile pointer:   PK FORM_PROFILE   SK FORM_PROFILE   (formId of the standard profile form; created once)
 * - Upload metadata:   PK UPLOAD#<uploadId>  SK UPLOAD
 */
export const formPartition = (formId: string) => `FORM#${formId}`;
export const formKey = (formId: string) => ({ PK: formPartition(formId), SK: 'FORM' });
export const FORMS_LIST_PK = 'FORMS';
export const formListKey = (createdAt: string, formId: string) => ({ GSI1PK: FORMS_LIST_PK, GSI1SK: `${createdAt}#${formId}` });
export const formVersionKey = (formId: string, version: number) => ({ PK: formPartition(formId), SK: `VERSION#${String(version).padStart(7, '0')}` });
export const RESPONSE_PREFIX = 'RESPONSE#';
export const responseKey = (formId: string, userId: string) => ({ PK: formPartition(formId), SK: `${RESPONSE_PREFIX}${userId}` });
/** The console's list of latest responses, newest first (GSI1). */
export const responseListPartition = (formId: string) => `FORM_RESPONSES#${formId}`;
export const responseListKey = (formId: string, submittedAt: string, userId: string) => ({
  GSI1PK: responseListPartition(formId),
  GSI1SK: `${submittedAt}#${userId}`,
});
/** Marker of the one-time backfill of responseListKey on responses written before it existed. */
export const responseListMarkerKey = { PK: 'MIGRATION', SK: 'FORM_RESPONSE_LIST' };
export const HISTORY_PREFIX = 'HISTORY#';
export const historyKey = (formId: string, userId: string, submittedAt: string) => ({
  PK: formPartition(formId),
  SK: `${HISTORY_PREFIX}${userId}#${submittedAt}`,
});
export const profilePointerKey = () => ({ PK: 'FORM_PROFILE', SK: 'FORM_PROFILE' });
export const uploadKey = (uploadId: string) => ({ PK: `UPLOAD#${uploadId}`, SK: 'UPLOAD' });
/** Blob keys in the uploads bucket. */
export const uploadBlobKey = (formId: string, uploadId: string) => `uploads/${formId}/${uploadId}`;
export const exportBlobKey = (formId: string, exportId: string) => `exports/forms/${formId}/${exportId}.csv`;
