/** Upload metadata on the single table (keys: functions/forms/keys.ts); the bytes are in the BlobStore. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Upload } from '../../forms/form';
import { uploadKey } from '../../forms/keys';
import type { UploadRepository } from '../../forms/ports';
import { documentClient, tableName } from './dynamo-client';
import { entityOf } from './items';

/** Upload metadata (owner, form, item, type, size); the bytes are in the BlobStore. */
export class DynamoUploadStore implements UploadRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async put(upload: Upload): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...uploadKey(upload.uploadId), type: 'Upload', ...upload },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(uploadId: string): Promise<Upload | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: uploadKey(uploadId) }));
    return Item ? entityOf<Upload>(Item) : null;
  }
}
