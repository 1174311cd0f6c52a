/**
 * Every Lambda function of civic-line is an AppFunction: one place fixes the
 * runtime, architecture, tracing, logging, Powertools environment and bundling,
 * so a new handler only states its entry, timeout and what it may touch.
 */
import * as path from 'node:path';
import { Stack, Validations, type Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env';
import { name, settingsFor, type Stage } from '../config';
import { ESM_REQUIRE_BANNER, LAMBDA_MAIN_FIELDS, LAMBDA_MINIFY, LAMBDA_SOURCES_CONTENT } from '../lambda-bundle';

/** Repository root: `cdk` and `jest` both run from it. */
const REPO_ROOT = process.cwd();

/**
 * AWS SDK modules the SDK loads only through `import()`, on paths a Lambda function never takes:
 * the credential providers after the environment's (Lambda puts the role's credentials in
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which the chain's first provider
 * reads) with the STS/SSO clients they bring, the instance metadata service, and event streams
 * (no operation here streams). Left out of a bundle (`externalModules`), they would resolve to the
 * Lambda runtime's own SDK copy if ever reached; bundled, they were ~150 KB that every cold start
 * of the webhook receiver compiled (docs/ARCHITECTURE.md, "Bundles and cold start"). The CDK
 * tests check that the receiver's bundle reaches them only through `import()`.
 */
export const SDK_MODULES_NOT_REACHED_IN_LAMBDA: readonly string[] = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  '@smithy/core/event-streams',
];

export interface AppFunctionProps {
  stage: Stage;
  /** Short name, e.g. `webhook-receive`; becomes `civic-line-<stage>-webhook-receive`. */
  functionName: string;
  /** Handler file relative to the repository root, e.g. `functions/webhook/receive-handler.ts`. */
  entry: string;
  /** Exported handler name. @default 'handler' */
  handler?: string;
  timeout: Duration;
  /** @default 512 */
  memorySize?: number;
  /** Reserved concurrency (the delivery sender: bounded LINE request rate). @default none */
  reservedConcurrentExecutions?: number;
  /** Powertools service name (logs, metrics dimension, traces). @default functionName */
  serviceName?: string;
  /** @default 'INFO' */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Extra environment; STAGE, NODE_OPTIONS and POWERTOOLS_* are always set. */
  environment?: Record<string, string>;
  /**
   * Modules esbuild leaves out of the bundle. @default none: the AWS SDK version we pin and test
   * with is bundled. Only for modules the code reaches through `import()` on paths that never run
   * in Lambda ({@link SDK_MODULES_NOT_REACHED_IN_LAMBDA}; the webhook receiver).
   */
  externalModules?: readonly string[];
  description?: string;
}

export type TableAccessMode = 'read' | 'readWrite';
export type BucketAccessMode = 'read' | 'readWrite';

/** Wildcard actions of Bucket.grantRead / grantReadWrite (object-level prefixes CDK chose, all on this bucket only). */
const BUCKET_READ_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*'];
const BUCKET_WRITE_ACTIONS = ['s3:DeleteObject*', 's3:Abort*'];

/** NodejsFunction with civic-line's fixed defaults (Node 22, arm64, X-Ray, own log group, ESM bundle). */
export class AppFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const settings = settingsFor(props.stage);
    const functionName = name(props.stage, props.functionName);

    // An explicit log group, so retention and removal follow the stage
    // (the implicit /aws/lambda group would never expire and never be deleted).
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });

    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry: path.join(REPO_ROOT, props.entry),
      handler: props.handler ?? 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      environment: {
        [ENV.STAGE]: props.stage,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? props.functionName,
        POWERTOOLS_METRICS_NAMESPACE: 'CivicLine',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        // The same options as every bundle built outside CDK (lib/lambda-bundle.ts).
        minify: LAMBDA_MINIFY,
        sourceMap: true,
        sourcesContent: LAMBDA_SOURCES_CONTENT,
        mainFields: LAMBDA_MAIN_FIELDS,
        banner: ESM_REQUIRE_BANNER,
        // esbuild is a devDependency: synth works offline without Docker.
        forceDockerBundling: false,
        // Bundle the SDK version we pin and test with instead of the runtime's copy.
        bundleAwsSDK: true,
        externalModules: [...(props.externalModules ?? [])],
      },
    });

    // cdk-nag findings that every AppFunction has by design, acknowledged here once.
    Validations.of(this.function).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole only allows writing to CloudWatch Logs; it is the AWS-maintained minimum for a Lambda function.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions. Tests assert no data action (DynamoDB, SQS, Secrets Manager) is granted on "*".',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 is pinned on purpose: bundles target node22 and the code is tested on Node 22. Moving to a newer runtime is a deliberate upgrade, not an automatic one.',
      },
    );
  }

  /** Sets an environment variable on the function. */
  addEnvironment(key: string, value: string): this {
    this.function.addEnvironment(key, value);
    return this;
  }

  /**
   * Grants the function data access to the table (and its indexes) and sets TABLE_NAME.
   * `read` is for query-only functions; nothing gets table-management rights.
   */
  bindTable(table: ITableV2, accessMode: TableAccessMode): this {
    if (accessMode === 'read') table.grants.readData(this.function);
    else table.grants.readWriteData(this.function);
    this.acknowledgeIndexWildcard(table);
    return this.addEnvironment(ENV.TABLE_NAME, table.tableName);
  }

  /**
   * Grants the function object access to one bucket (`grantRead` / `grantReadWrite`,
   * scoped to that bucket and its objects) and puts the bucket's name in `envName`.
   */
  bindBucket(bucket: IBucket, accessMode: BucketAccessMode, envName: string): this {
    if (accessMode === 'read') bucket.grantRead(this.function);
    else bucket.grantReadWrite(this.function);
    const actions = accessMode === 'read' ? BUCKET_READ_ACTIONS : [...BUCKET_READ_ACTIONS, ...BUCKET_WRITE_ACTIONS];
    Validations.of(this.function).acknowledge(
      ...actions.map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${action} comes from the CDK bucket grant; the statement is limited to the one bucket this function is bound to and its objects.`,
      })),
    );
    this.acknowledgeResolvedWildcard(
      bucket.bucketArn,
      '/*',
      'The wildcard covers the objects of the one bucket this function is bound to (object keys are generated at upload time).',
    );
    return this.addEnvironment(envName, bucket.bucketName);
  }

  /**
   * Table grants include `<table ARN>/index/*` so queries on every GSI work.
   * cdk-nag names that finding after the resolved ARN (for a table in the stateful
   * stack: the import of its export), known only once cross-stack references are
   * resolved. Node validations run after that and before cdk-nag, so the
   * acknowledgement is added there, for exactly this table's indexes.
   */
  private acknowledgeIndexWildcard(table: ITableV2): void {
    this.acknowledgeResolvedWildcard(
      table.tableArn,
      '/index/*',
      'The wildcard covers only the global secondary indexes of the one civic-line table, which this function queries.',
    );
  }

  /** Acknowledges `AwsSolutions-IAM5[Resource::<resolved arn><suffix>]` once references are resolved (see above). */
  private acknowledgeResolvedWildcard(arn: string, suffix: string, reason: string): void {
    this.node.addValidation({
      validate: () => {
        const resolved = flattenCfnReference(Stack.of(this).resolve(arn));
        Validations.of(this.function).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resolved}${suffix}]`, reason });
        return [];
      },
    });
  }
}
