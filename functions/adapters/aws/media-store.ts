/** Metadata of delivery images (the bytes are in the BlobStore) on the single table. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mediaKey } from '../../deliveries/keys';
import type { Media } from '../../deliveries/model';
import type { MediaRepository } from '../../deliveries/ports';
import { documentClient, tableName } from './dynamo-client';
import { entityOf } from './items';

export class DynamoMediaStore implements MediaRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}
  async get(mediaId: string): Promise<Media | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: mediaKey(mediaId) }));
    return Item ? entityOf<Media>(Item) : null;
  }
  async put(media: Media): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...mediaKey(media.mediaId), type: 'Media', ...media } }));
  }
}
