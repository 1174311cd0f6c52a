/** Citizen reports' fixed words, shared by the console, the CSV and the server (dependency-free). */
export const REPORT_STATUSES = ['received', 'in_progress', 'done', 'rejected', 'duplicate'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  received: '受付',
  in_progress: '対応中',
  done: '完了',
  rejected: '対応できません',
  duplicate: '重複',
};

/** Statuses a report is closed in (the citizen may say 「直っていない」 on 完了). */
export const CLOSED_STATUSES: readonly ReportStatus[] = ['done', 'rejected', 'duplicate'];

export const REPORT_EVENT_LABELS = {
  created: '通報を受け付けました',
  status: '状況を変更',
  assigned: '担当課を変更',
  note: '内部メモ',
  citizen_comment: '市民からのコメント',
  citizen_photo: '市民から写真を追加',
  reopened: '市民から「直っていない」（再開）',
  merged: '重複をまとめました',
  photo_missing: '写真を受け取れませんでした',
} as const;

export const PHOTO_STATUS_LABELS = { pending: '受信中', received: '変換中', stored: '保存済み', missing: '受け取れず' } as const;

/** A place as a map link (CSV, the report's page). */
export const mapLink = (latitude: number, longitude: number) => `https://maps.gsi.go.jp/#17/${latitude.toFixed(6)}/${longitude.toFixed(6)}/`;
