/**
 * The staff console: the admin SPA (admin-web/dist) in a private S3 bucket behind
 * CloudFront, with `/api/*` forwarded to the HTTP API on the same origin, so the
 * session cookie (`SameSite=Strict; Path=/api/admin`) is first-party and the SPA
 * needs no CORS. The citizens' LIFF pages (liff-web/dist) live in the same bucket
 * under `liff/` and are served at `/liff/*` with their own rewrite and headers
 * (LINE opens them; they call /api/liff/* on the same origin).
 *
 * Sections below: buckets, CloudFront (functions, headers, behaviors), deployment
 * of the SPA, cdk-nag acknowledgements, outputs.
 *
 * The console is served on the distribution's *.cloudfront.net name. A custom domain
 * needs an ACM certificate in us-east-1 (and, for TLS 1.2-only viewers, that
 * certificate): a later step, see docs/ARCHITECTURE.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { name, REGION, settingsFor, Stage, uploadsBucketName } from './config';

/** Where `npm run build:web` writes the SPA (relative to the repository root, where cdk and jest run). */
export const DEFAULT_WEB_ASSET_PATH = path.join(process.cwd(), 'admin-web', 'dist');

/** Where `npm run build:web` writes the LIFF pages (Vite `base: '/liff/'`). */
export const DEFAULT_LIFF_ASSET_PATH = path.join(process.cwd(), 'liff-web', 'dist');

/** Path prefix of the LIFF pages: on the distribution (`/liff/*`) and in the bucket (`liff/`). */
export const LIFF_PREFIX = 'liff';

/**
 * Content-Security-Policy of every response. The SPA loads only its own bundle and
 * calls only /api/* on the same origin; inline styles are allowed for React's `style`
 * attributes; nothing may frame the console. Friends' LINE profile pictures come from LINE's CDN,
 * the citizen reports' map pictures from 地理院タイル (another tile server set in the reports'
 * settings must be added here).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob: https://profile.line-scdn.net https://cyberjapandata.gsi.go.jp",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** 地理院タイル: the map pictures of the place picker (/liff/reports/place) and the console's report map. */
export const GSI_TILES_ORIGIN = 'https://cyberjapandata.gsi.go.jp';

/**
 * Content-Security-Policy of the LIFF pages: the console's, except that the LIFF SDK
 * (script from LINE's CDN, calls to api.line.me) is allowed, LINE may frame them, and the place
 * picker's map shows 地理院タイル.
 */
export const LIFF_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `img-src 'self' data: blob: https://profile.line-scdn.net ${GSI_TILES_ORIGIN}`,
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self' https://static.line-scdn.net",
  "connect-src 'self' https://api.line.me https://liffsdk.line-scdn.net",
  "frame-ancestors 'self' https://liff.line.me https://*.line.me",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The uploads bucket's regional endpoint (virtual-hosted, as the presigner builds URLs): LIFF
 * pages PUT files there directly, and staff and citizens are redirected there to signed links.
 */
export function uploadsOrigin(stage: Stage): string {
  return `https://${uploadsBucketName(stage)}.s3.${REGION}.amazonaws.com`;
}

/** `policy` with `origin` appended to each of `directives`. */
export function withOrigin(policy: string, directives: string[], origin: string): string {
  return policy
    .split('; ')
    .map((d) => (directives.includes(d.split(' ')[0]) ? `${d} ${origin}` : d))
    .join('; ');
}

/** Viewer TLS policy to set together with a custom domain's certificate (a later step). */
export const MINIMUM_VIEWER_TLS = cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021;

/** HSTS max-age: two years, the value the HSTS preload list asks for. */
export const HSTS_MAX_AGE = Duration.days(730);

/**
 * Viewer-request function of the SPA behavior: a path whose last segment has no
 * file extension is a client-side route (/staff, /audit/…) and gets /index.html.
 * Unlike custom error responses (distribution-wide), this never touches /api/*,
 * whose 403 and 404 answers must reach the SPA unchanged.
 */
const SPA_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.lastIndexOf('.') <= uri.lastIndexOf('/')) {
    request.uri = '/index.html';
  }
  return request;
}`;

/**
 * Viewer-request function of the /liff/* behavior: like SPA_REWRITE_CODE, but a
 * client-side route of the LIFF pages (/liff/forms/01ABC…) gets /liff/index.html.
 */
const LIFF_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.lastIndexOf('.') <= uri.lastIndexOf('/')) {
    request.uri = '/${LIFF_PREFIX}/index.html';
  }
  return request;
}`;

/**
 * Viewer-request function of the /api/* behavior: API Gateway needs its own Host, so
 * the viewer's (the console's domain) is passed as x-forwarded-host; the admin API
 * compares a login's Origin header with it.
 */
const FORWARD_HOST_CODE = `function handler(event) {
  var request = event.request;
  request.headers['x-forwarded-host'] = { value: request.headers.host.value };
  return request;
}`;

/** Thrown when the SPA has not been built; bin/app.ts prints only the message. */
export class WebAssetsMissingError extends Error {
  constructor(assetPath: string) {
    super(
      `admin-web/dist がありません。先に npm run build:web を実行してください (run npm run build:web first). Looked for ${path.join(assetPath, 'index.html')}.`,
    );
    this.name = 'WebAssetsMissingError';
  }
}

export interface WebStackProps extends StackProps {
  stage: Stage;
  /** The API stack's HTTP API: the origin of the /api/* behavior. */
  httpApi: apigwv2.IHttpApi;
  /**
   * Folder with the built SPA (must contain index.html).
   * @default admin-web/dist (`npm run build:web`)
   */
  webAssetPath?: string;
  /**
   * Folder with the built LIFF pages (index.html at its root, built with base `/liff/`).
   * When it has no index.html (the pages are not built yet), the /liff/* behavior is
   * still created but nothing is deployed to it, and synth shows a warning.
   * @default liff-web/dist (`npm run build:web`)
   */
  liffAssetPath?: string;
  /** LIFF ID written to `/liff/config.json` (`{"liffId": …}`), read by the pages for `liff.init`. */
  liffId?: string;
}

/** LINE's LIFF IDs: `<LINE Login channel ID>-<8 letters/digits>`. */
export const LIFF_ID_PATTERN = /^\d{10}-[A-Za-z0-9]{8}$/;

export class WebStack extends Stack {
  public readonly bucket: s3.Bucket;
  public readonly logBucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly securityHeaders: cloudfront.ResponseHeadersPolicy;
  /** Headers of the /liff/* behavior (LINE may frame the pages; no X-Frame-Options). */
  public readonly liffSecurityHeaders: cloudfront.ResponseHeadersPolicy;
  /** False when the LIFF pages were not built at synth time and were not deployed. */
  public readonly liffDeployed: boolean;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    // Checked before anything joins the app, so a missing build fails cleanly.
    const webAssetPath = path.resolve(props.webAssetPath ?? DEFAULT_WEB_ASSET_PATH);
    if (!fs.existsSync(path.join(webAssetPath, 'index.html'))) throw new WebAssetsMissingError(webAssetPath);
    const liffAssetPath = path.resolve(props.liffAssetPath ?? DEFAULT_LIFF_ASSET_PATH);
    if (props.liffId !== undefined && !LIFF_ID_PATTERN.test(props.liffId)) {
      throw new Error(`-c liffId must look like 1234567890-AbcdEfgh (LINE Developers console → LIFF), got ${JSON.stringify(props.liffId)}`);
    }
    super(scope, id, props);
    this.liffDeployed = fs.existsSync(path.join(liffAssetPath, 'index.html'));
    // Strong reference to the HTTP API, like the API stack's references to the stateful stack.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    // S3 server access logs are allowed by a bucket policy (logging.s3.amazonaws.com)
    // instead of the legacy LogDeliveryWrite ACL: a CloudFormation update would reset
    // that ACL and drop the grant CloudFront adds for its own logs. Set on this stack,
    // so `cdk synth` and the tests (which read no cdk.json) build the same template.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const { stage, httpApi } = props;
    const settings = settingsFor(stage);
    const isTest = stage === Stage.test;

    // ------------------------------------------------------------------
    // Buckets: access logs, SPA
    // ------------------------------------------------------------------
    // CloudFront standard logs (legacy) need ACLs on the bucket: CloudFront grants
    // its log-delivery account write access when the distribution is created.
    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(settings.logRetention) }],
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: isTest,
    });

    this.bucket = new s3.Bucket(this, 'WebBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // Old versions only serve a rollback by hand; keep them for a month.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-web/',
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: isTest,
    });

    // ------------------------------------------------------------------
    // CloudFront
    // ------------------------------------------------------------------
    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      functionName: name(stage, 'spa-rewrite'),
      comment: 'Client-side routes (no file extension) get /index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE_CODE),
    });
    const liffRewrite = new cloudfront.Function(this, 'LiffRewrite', {
      functionName: name(stage, 'liff-rewrite'),
      comment: 'LIFF client-side routes (no file extension) get /liff/index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(LIFF_REWRITE_CODE),
    });
    const forwardHost = new cloudfront.Function(this, 'ForwardHost', {
      functionName: name(stage, 'api-forward-host'),
      comment: "Passes the viewer's Host to the API as x-forwarded-host",
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(FORWARD_HOST_CODE),
    });

    this.securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: name(stage, 'security-headers'),
      comment: 'civic-line console: CSP, HSTS, no framing, no sniffing, same-origin referrer',
      securityHeadersBehavior: {
        // img-src: upload thumbnails redirect (302) to signed links on the uploads bucket.
        contentSecurityPolicy: { contentSecurityPolicy: withOrigin(CONTENT_SECURITY_POLICY, ['img-src'], uploadsOrigin(stage)), override: true },
        strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, preload: true, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
    });

    // LIFF pages are opened by LINE (LIFF browser, or liff.line.me in other browsers):
    // framing is limited by frame-ancestors to LINE's origins, so no X-Frame-Options,
    // whose DENY or SAMEORIGIN would override that list in browsers that honour it.
    this.liffSecurityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'LiffSecurityHeaders', {
      responseHeadersPolicyName: name(stage, 'liff-security-headers'),
      comment: 'civic-line LIFF pages: CSP with the LIFF SDK and LINE framing, HSTS, no sniffing, same-origin referrer',
      securityHeadersBehavior: {
        // connect-src: files are PUT straight to the uploads bucket (presigned), previews fetched from it.
        contentSecurityPolicy: { contentSecurityPolicy: withOrigin(LIFF_CONTENT_SECURITY_POLICY, ['connect-src'], uploadsOrigin(stage)), override: true },
        strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
    });

    const bucketOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const apiOrigin = new origins.HttpOrigin(`${httpApi.apiId}.execute-api.${REGION}.amazonaws.com`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `civic-line ${stage}: staff console, LIFF pages and /api/*`,
      defaultRootObject: 'index.html',
      // Price class 200 includes the Japanese edge locations; 100 does not.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // No minimumProtocolVersion: CloudFront ignores it with the default *.cloudfront.net
      // certificate (CDK warns). The custom-domain step adds `certificate` (ACM, us-east-1),
      // `domainNames` and MINIMUM_VIEWER_TLS together (see AwsSolutions-CFR4 below).
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      // Cookies are session tokens: never written to logs.
      logIncludesCookies: false,
      defaultBehavior: {
        origin: bucketOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders,
        compress: true,
        functionAssociations: [{ function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Cookies, query strings and headers reach the API; Host must be API Gateway's own.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.securityHeaders,
          functionAssociations: [{ function: forwardHost, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        },
        // Deliveries' public routes on the API origin: click redirects are never cached (every tap
        // is counted; the function answers no-store), images are cached as the origin says (a year).
        '/r/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          responseHeadersPolicy: this.securityHeaders,
        },
        '/media/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: this.securityHeaders,
        },
        [`/${LIFF_PREFIX}/*`]: {
          origin: bucketOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          // Query strings (liff.state …) are read by the page itself, so the cache key ignores them.
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: this.liffSecurityHeaders,
          compress: true,
          functionAssociations: [{ function: liffRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        },
      },
    });

    // ------------------------------------------------------------------
    // Deployments: the SPA at the bucket's root, the LIFF pages under liff/
    // (each copies its build, prunes old files and invalidates the cache)
    // ------------------------------------------------------------------
    // Both share CDK's one deployment handler per stack (same memory limit and log group).
    const deploymentLogs = new logs.LogGroup(this, 'DeploymentLogs', {
      logGroupName: `/aws/lambda/${name(stage, 'web-deployment')}`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    new s3deploy.BucketDeployment(this, 'DeployWeb', {
      sources: [s3deploy.Source.asset(webAssetPath)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      // The LIFF pages' own deployment owns liff/: never pruned by this one.
      exclude: [`${LIFF_PREFIX}/*`],
      memoryLimit: 256,
      logGroup: deploymentLogs,
    });
    if (this.liffDeployed) {
      new s3deploy.BucketDeployment(this, 'DeployLiff', {
        // config.json carries the LIFF ID: the same build serves the test and prod channels.
        sources: [s3deploy.Source.asset(liffAssetPath), ...(props.liffId ? [s3deploy.Source.jsonData('config.json', { liffId: props.liffId })] : [])],
        destinationBucket: this.bucket,
        destinationKeyPrefix: `${LIFF_PREFIX}/`,
        distribution: this.distribution,
        distributionPaths: [`/${LIFF_PREFIX}/*`],
        prune: true,
        memoryLimit: 256,
        logGroup: deploymentLogs,
      });
      if (!props.liffId) {
        Annotations.of(this).addWarningV2(
          'civic-line:liff-id-missing',
          'LIFF ID が未設定です (-c liffId=...): LINE アプリ内で LIFF ページを開くには、LIFF アプリを登録して LIFF ID を指定してください (LIFF pages work only in the simulator until then).',
        );
      }
    } else {
      Annotations.of(this).addWarningV2(
        'civic-line:liff-assets-missing',
        `LIFF ページが未ビルドのためデプロイしません (LIFF pages not deployed: no ${path.join(liffAssetPath, 'index.html')}). Run npm run build:web, or pass -c liffAssetPath=<folder>; /liff/* answers 403 until then.`,
      );
    }

    // ------------------------------------------------------------------
    // cdk-nag acknowledgements (each with its reason)
    // ------------------------------------------------------------------
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: staff sign in from the city office and, for disasters, from anywhere; access is controlled by the admin API (password, optional TOTP, lockout), not by country.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No AWS WAF yet: a CloudFront web ACL must live in us-east-1 (a separate stack). The API has stage throttling and the login has lockout; WAF is listed as a later step in docs/ARCHITECTURE.md.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The console uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes; TLSv1.2_2021 is configured and takes effect once a custom domain with an ACM certificate (us-east-1) is added, a later step.',
      },
    );
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging its own access would log into itself.',
    });

    // The deployment runs as one stack-wide singleton Lambda (a CDK custom resource).
    const deploymentHandler = this.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (deploymentHandler) {
      Validations.of(deploymentHandler).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'CDK BucketDeployment handler: AWSLambdaBasicExecutionRole only allows writing its own CloudWatch Logs.',
        },
        ...['Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', 'Action::s3:Abort*', 'Action::s3:DeleteObject*'].map((finding) => ({
          id: `AwsSolutions-IAM5[${finding}]`,
          reason:
            'CDK BucketDeployment handler: the grant CDK generates to copy the SPA from the CDK asset bucket into the console bucket and prune old files.',
        })),
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-ap-northeast-1/*]',
          reason: 'CDK BucketDeployment handler: reads the zipped SPA from the CDK bootstrap asset bucket of this account and region.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
          reason: 'CDK BucketDeployment handler: writes and prunes the objects of the console bucket, which holds only the SPA.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'CDK BucketDeployment handler: cloudfront:CreateInvalidation and GetInvalidation are granted on "*" by CDK; it invalidates only this distribution after a deploy.',
        },
        {
          id: 'AwsSolutions-L1',
          reason: 'CDK BucketDeployment handler: its runtime is chosen and updated by aws-cdk-lib, not by this project; it runs only during deploys.',
        },
      );
    }

    // ------------------------------------------------------------------
    // Outputs
    // ------------------------------------------------------------------
    new CfnOutput(this, 'ConsoleUrl', {
      description: 'Staff console (admin SPA and /api/* on one origin). Create the first administrator with `npm run create-admin`.',
      value: `https://${this.distribution.distributionDomainName}`,
    });
    new CfnOutput(this, 'LiffEndpointUrl', {
      description: 'Endpoint URL of the LIFF app: LINE Developers console → LINE Login channel → LIFF → Endpoint URL (with the trailing slash).',
      value: `https://${this.distribution.distributionDomainName}/${LIFF_PREFIX}/`,
    });
    new CfnOutput(this, 'DistributionId', {
      description: 'CloudFront distribution of the console (for manual cache invalidations).',
      value: this.distribution.distributionId,
    });
    new CfnOutput(this, 'WebBucketName', {
      description: 'Private S3 bucket holding the built admin SPA and, under liff/, the LIFF pages (deployed by `cdk deploy`; do not edit by hand).',
      value: this.bucket.bucketName,
    });
  }
}
