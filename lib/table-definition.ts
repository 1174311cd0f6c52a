/**
 * The one DynamoDB table, described once. The CDK stateful stack builds the
 * real table from it and the local runtime creates the same table in DynamoDB
 * Local from it, so keys and indexes cannot drift apart.
 * Every entity's keys and access patterns: docs/data-model.md.
 */
export interface IndexDefinition {
  indexName: string;
  partitionKey: string;
  sortKey: string;
}

export interface TableDefinition {
  partitionKey: string;
  sortKey: string;
  /** Attribute holding an epoch-seconds expiry; DynamoDB TTL deletes the item after it. */
  timeToLiveAttribute: string;
  globalSecondaryIndexes: IndexDefinition[];
}

export const TABLE_DEFINITION: TableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [{ indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
};

/** Local and test table name; in AWS the name comes from the stack (civic-line-<stage>). */
export const LOCAL_TABLE_NAME = 'civic-line-local';
