import * as path from 'node:path';
import * as fs from 'node:fs';
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Stage } from '../../lib/config';
import {
  CONTENT_SECURITY_POLICY,
  LIFF_CONTENT_SECURITY_POLICY,
  MINIMUM_VIEWER_TLS,
  uploadsOrigin,
  WebAssetsMissingError,
  WebStack,
  withOrigin,
} from '../../lib/web-stack';
import { makeTemporaryLiffAssets, makeTemporaryWebAssets, SYNTH_TIMEOUT_MS, synthStage, type SynthesizedStage } from './synth-app';

const stages: Record<Stage, SynthesizedStage> = {} as Record<Stage, SynthesizedStage>;

beforeAll(() => {
  stages[Stage.test] = synthStage(Stage.test);
  stages[Stage.prod] = synthStage(Stage.prod);
}, SYNTH_TIMEOUT_MS);

/** CloudFront managed policy ids (AWS documentation, "managed cache/origin request policies"). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

type Json = Record<string, any>;

/** Runs a CloudFront Function's inline code against a viewer request, as cloudfront-js-2.0 would. */
function runViewerRequest(code: string, uri: string, host = 'd111111abcdef8.cloudfront.net'): Json {
  const handler = new Function(`${code}; return handler;`)() as (event: Json) => Json;
  return handler({ request: { uri, method: 'GET', headers: { host: { value: host } }, querystring: {}, cookies: {} } });
}

describe('WebStack without a built SPA', () => {
  it('stops with a message that says to run npm run build:web', () => {
    const build = () => {
      const app = new App();
      const api = apigwv2.HttpApi.fromHttpApiAttributes(new Stack(app, 'Api'), 'HttpApi', { httpApiId: 'abc123' });
      return new WebStack(app, 'Web', { stage: Stage.test, httpApi: api, webAssetPath: path.join(__dirname, 'no-such-dist') });
    };
    expect(build).toThrow(WebAssetsMissingError);
    expect(build).toThrow(/admin-web\/dist がありません。先に npm run build:web を実行してください \(run npm run build:web first\)/);
  });
});

describe('WebStack without built LIFF pages', () => {
  it('still synthesizes: the /liff/* behavior exists, nothing is deployed to it, and synth warns', () => {
    const webAssetPath = makeTemporaryWebAssets();
    try {
      const app = new App();
      const apiStack = new Stack(app, 'Api');
      new CfnWaitConditionHandle(apiStack, 'Placeholder'); // a stack needs one resource to synthesize cleanly
      const api = apigwv2.HttpApi.fromHttpApiAttributes(apiStack, 'HttpApi', { httpApiId: 'abc123' });
      const web = new WebStack(app, 'Web', { stage: Stage.test, httpApi: api, webAssetPath, liffAssetPath: path.join(__dirname, 'no-such-liff-dist') });
      const template = Template.fromStack(web);
      expect(web.liffDeployed).toBe(false);
      template.resourceCountIs('Custom::CDKBucketDeployment', 1);
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: { CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '/liff/*' })]) },
      });
      Annotations.fromStack(web).hasWarning('/Web', Match.stringLikeRegexp('LIFF pages not deployed.*npm run build:web'));
      Annotations.fromStack(web).hasNoError('*', Match.anyValue());
    } finally {
      fs.rmSync(webAssetPath, { recursive: true, force: true });
    }
  });
});

describe('WebStack LIFF ID (/liff/config.json)', () => {
  const build = (liffId?: string) => {
    const app = new App();
    const apiStack = new Stack(app, 'Api');
    new CfnWaitConditionHandle(apiStack, 'Placeholder');
    const api = apigwv2.HttpApi.fromHttpApiAttributes(apiStack, 'HttpApi', { httpApiId: 'abc123' });
    return new WebStack(app, 'Web', {
      stage: Stage.test,
      httpApi: api,
      webAssetPath: webAssets,
      liffAssetPath: liffAssets,
      ...(liffId === undefined ? {} : { liffId }),
    });
  };
  let webAssets: string;
  let liffAssets: string;
  beforeAll(() => {
    webAssets = makeTemporaryWebAssets();
    liffAssets = makeTemporaryLiffAssets();
  });
  afterAll(() => {
    for (const dir of [webAssets, liffAssets]) fs.rmSync(dir, { recursive: true, force: true });
  });
  const liffDeployment = (web: WebStack): Json =>
    Object.values(Template.fromStack(web).findResources('Custom::CDKBucketDeployment')).find(
      (r) => (r as Json).Properties.DestinationBucketKeyPrefix === 'liff/',
    ) as Json;

  it('deploys config.json with the LIFF ID next to the pages', () => {
    const web = build('2000000000-AbcdEfgh');
    expect(liffDeployment(web).Properties.SourceObjectKeys).toHaveLength(2);
    Annotations.fromStack(web).hasNoWarning('/Web', Match.stringLikeRegexp('LIFF ID'));
  });

  it('warns when no LIFF ID is given (the pages then work only in the simulator)', () => {
    const web = build();
    expect(liffDeployment(web).Properties.SourceObjectKeys).toHaveLength(1);
    Annotations.fromStack(web).hasWarning('/Web', Match.stringLikeRegexp('LIFF ID が未設定'));
  });

  it('refuses a malformed LIFF ID', () => {
    expect(() => build('not-a-liff-id')).toThrow(/-c liffId must look like/);
  });
});

describe.each([Stage.test, Stage.prod])('web stack (%s)', (stage) => {
  const isProd = stage === Stage.prod;
  const template = () => stages[stage].webTemplate;
  const resources = () => template().toJSON().Resources as Record<string, Json>;
  const distributionConfig = (): Json => Object.values(template().findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
  const logicalIdOf = (type: string, pattern: RegExp): string => {
    const ids = Object.keys(template().findResources(type)).filter((id) => pattern.test(id));
    expect(ids).toHaveLength(1);
    return ids[0];
  };
  const webBucketId = () => logicalIdOf('AWS::S3::Bucket', /^WebBucket/);
  const logBucketId = () => logicalIdOf('AWS::S3::Bucket', /^LogBucket/);
  const distributionId = () => logicalIdOf('AWS::CloudFront::Distribution', /^Distribution/);
  const apiBehavior = (): Json => distributionConfig().CacheBehaviors.find((b: Json) => b.PathPattern === '/api/*');
  const liffBehavior = (): Json => distributionConfig().CacheBehaviors.find((b: Json) => b.PathPattern === '/liff/*');

  it('is named civic-line-<stage>-web and deploys to ap-northeast-1', () => {
    expect(stages[stage].web.stackName).toBe(`civic-line-${stage}-web`);
    expect(stages[stage].web.region).toBe('ap-northeast-1');
  });

  describe('buckets', () => {
    it('the SPA bucket is private, S3-encrypted, versioned and logs its access', () => {
      template().hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId() }, LogFilePrefix: 's3-web/' },
        WebsiteConfiguration: Match.absent(),
      });
    });

    it('every bucket blocks public access and denies requests without TLS (enforceSSL)', () => {
      for (const bucket of Object.values(template().findResources('AWS::S3::Bucket'))) {
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
      }
      for (const bucketId of [webBucketId(), logBucketId()]) {
        template().hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: bucketId },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it("the SPA bucket's policy allows reads only to CloudFront, for this distribution (OAC)", () => {
      const policy = Object.values(template().findResources('AWS::S3::BucketPolicy')).find((p) => p.Properties.Bucket.Ref === webBucketId());
      const allows: Json[] = policy!.Properties.PolicyDocument.Statement.filter((s: Json) => s.Effect === 'Allow');
      const cloudFront = allows.filter((s) => s.Principal.Service === 'cloudfront.amazonaws.com');
      expect(cloudFront).toEqual([
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [webBucketId(), 'Arn'] }, '/*']] },
          Condition: {
            StringEquals: {
              'AWS:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId() }]],
              },
            },
          },
        },
      ]);
      // Any other Allow is the test stage's empty-on-delete custom resource, never a person or "*".
      const others = allows.filter((s) => !cloudFront.includes(s));
      expect(others).toHaveLength(isProd ? 0 : 1);
      for (const s of others) expect(s.Principal).toEqual({ AWS: { 'Fn::GetAtt': [expect.stringMatching(/^CustomS3AutoDeleteObjects/), 'Arn'] } });
    });

    it(`${isProd ? 'keeps' : 'deletes (and empties)'} both buckets when the stack is removed`, () => {
      const policy = isProd ? 'Retain' : 'Delete';
      for (const id of [webBucketId(), logBucketId()]) {
        expect(resources()[id]).toMatchObject({ DeletionPolicy: policy, UpdateReplacePolicy: policy });
      }
      template().resourceCountIs('Custom::S3AutoDeleteObjects', isProd ? 0 : 2);
    });

    it(`expires access logs after ${isProd ? 365 : 30} days`, () => {
      expect(resources()[logBucketId()].Properties.LifecycleConfiguration.Rules).toEqual([{ ExpirationInDays: isProd ? 365 : 30, Status: 'Enabled' }]);
    });
  });

  describe('distribution', () => {
    it('serves index.html at the root, price class 200 (includes Japan), standard logs without cookies', () => {
      expect(distributionConfig()).toMatchObject({
        Enabled: true,
        DefaultRootObject: 'index.html',
        PriceClass: 'PriceClass_200',
        Logging: { Bucket: { 'Fn::GetAtt': [logBucketId(), 'RegionalDomainName'] }, IncludeCookies: false, Prefix: 'cloudfront/' },
      });
    });

    it('redirects HTTP to HTTPS on every behavior', () => {
      const behaviors = [distributionConfig().DefaultCacheBehavior, ...distributionConfig().CacheBehaviors];
      expect(behaviors).toHaveLength(5); // SPA, /api/*, /r/*, /media/*, /liff/*
      for (const behavior of behaviors) expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    });

    it('uses the default *.cloudfront.net certificate for now; TLSv1.2_2021 is the policy for the custom domain, acknowledged', () => {
      // No custom certificate yet: CloudFront fixes the default certificate's policy.
      expect(distributionConfig().ViewerCertificate).toBeUndefined();
      expect(MINIMUM_VIEWER_TLS).toBe('TLSv1.2_2021');
      const acknowledged = stages[stage].web.distribution.node.metadata
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
        .flatMap((m) => Object.entries(m.data as Record<string, string>));
      expect(acknowledged).toEqual(
        expect.arrayContaining([[expect.stringMatching(/AwsSolutions-CFR4$/), expect.stringMatching(/TLSv1\.2_2021.*custom domain/)]]),
      );
    });

    it('reaches the bucket through an Origin Access Control (SigV4, always signed)', () => {
      const oacId = logicalIdOf('AWS::CloudFront::OriginAccessControl', /OriginAccessControl/);
      template().hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
      });
      const s3Origin = distributionConfig().Origins.find((o: Json) => o.Id === distributionConfig().DefaultCacheBehavior.TargetOriginId);
      expect(s3Origin).toMatchObject({
        DomainName: { 'Fn::GetAtt': [webBucketId(), 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      });
    });

    it('sends /api/* to the HTTP API over HTTPS (TLS 1.2), uncached, all methods, viewer headers and cookies but not Host', () => {
      const behavior = apiBehavior();
      expect(behavior).toMatchObject({
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
      });
      const apiOrigin = distributionConfig().Origins.find((o: Json) => o.Id === behavior.TargetOriginId);
      expect(apiOrigin).toEqual({
        Id: behavior.TargetOriginId,
        DomainName: {
          'Fn::Join': [
            '',
            [{ 'Fn::ImportValue': expect.stringMatching(new RegExp(`^civic-line-${stage}-api:.*HttpApi`)) }, '.execute-api.ap-northeast-1.amazonaws.com'],
          ],
        },
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      });
    });

    it('answers client-side routes with index.html through a function on the SPA behavior only (no custom error responses)', () => {
      expect(distributionConfig().CustomErrorResponses).toBeUndefined();
      const rewriteId = logicalIdOf('AWS::CloudFront::Function', /^SpaRewrite/);
      expect(distributionConfig().DefaultCacheBehavior.FunctionAssociations).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [rewriteId, 'FunctionARN'] } },
      ]);
      expect(JSON.stringify(apiBehavior().FunctionAssociations)).not.toContain(rewriteId);
      expect(JSON.stringify(liffBehavior().FunctionAssociations)).not.toContain(rewriteId);

      const fn = resources()[rewriteId].Properties;
      expect(fn).toMatchObject({ Name: `civic-line-${stage}-spa-rewrite`, FunctionConfig: { Runtime: 'cloudfront-js-2.0' }, AutoPublish: true });
      const code: string = fn.FunctionCode;
      expect(runViewerRequest(code, '/').uri).toBe('/index.html');
      expect(runViewerRequest(code, '/staff').uri).toBe('/index.html');
      expect(runViewerRequest(code, '/audit/2025-01').uri).toBe('/index.html');
      expect(runViewerRequest(code, '/assets/index-abc123.js').uri).toBe('/assets/index-abc123.js');
      expect(runViewerRequest(code, '/favicon.ico').uri).toBe('/favicon.ico');
    });

    it("passes the viewer's host to the API as x-forwarded-host (for the admin API's Origin check)", () => {
      const forwardId = logicalIdOf('AWS::CloudFront::Function', /^ForwardHost/);
      expect(apiBehavior().FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [forwardId, 'FunctionARN'] } }]);
      const request = runViewerRequest(resources()[forwardId].Properties.FunctionCode, '/api/admin/auth/login', 'console.example.jp');
      expect(request.uri).toBe('/api/admin/auth/login');
      expect(request.headers['x-forwarded-host']).toEqual({ value: 'console.example.jp' });
    });

    it('adds the security headers to both behaviors: CSP, HSTS ≥ 1 year with preload, nosniff, DENY framing, same-origin referrer', () => {
      const policyId = logicalIdOf('AWS::CloudFront::ResponseHeadersPolicy', /^SecurityHeaders/);
      for (const behavior of [distributionConfig().DefaultCacheBehavior, apiBehavior()]) {
        expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
      }
      const headers = resources()[policyId].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      expect(headers.ContentSecurityPolicy).toEqual({
        ContentSecurityPolicy: withOrigin(CONTENT_SECURITY_POLICY, ['img-src'], uploadsOrigin(stage)),
        Override: true,
      });
      // Upload thumbnails redirect to signed links on this stage's uploads bucket (and no other bucket).
      expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toContain(
        `img-src 'self' data: blob: https://profile.line-scdn.net https://cyberjapandata.gsi.go.jp https://civic-line-${stage}-uploads.s3.ap-northeast-1.amazonaws.com;`,
      );
      expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toBe(
        `default-src 'self'; img-src 'self' data: blob: https://profile.line-scdn.net https://cyberjapandata.gsi.go.jp https://civic-line-${stage}-uploads.s3.ap-northeast-1.amazonaws.com; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
      );
      expect(headers.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Preload: true, Override: true });
      expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
    });
  });

  describe('LIFF pages (/liff/*)', () => {
    it('are served from the same bucket (OAC), HTTPS only, GET/HEAD, cached', () => {
      const behavior = liffBehavior();
      expect(behavior).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        CachePolicyId: CACHING_OPTIMIZED,
        Compress: true,
      });
      expect(behavior.TargetOriginId).toBe(distributionConfig().DefaultCacheBehavior.TargetOriginId);
      expect(distributionConfig().Origins).toHaveLength(2);
    });

    it('rewrite client-side routes to /liff/index.html through their own function; files stay as they are', () => {
      const rewriteId = logicalIdOf('AWS::CloudFront::Function', /^LiffRewrite/);
      expect(liffBehavior().FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [rewriteId, 'FunctionARN'] } }]);
      const fn = resources()[rewriteId].Properties;
      expect(fn).toMatchObject({ Name: `civic-line-${stage}-liff-rewrite`, FunctionConfig: { Runtime: 'cloudfront-js-2.0' }, AutoPublish: true });
      const code: string = fn.FunctionCode;
      expect(runViewerRequest(code, '/liff/').uri).toBe('/liff/index.html');
      expect(runViewerRequest(code, '/liff/forms/01ABC').uri).toBe('/liff/index.html');
      expect(runViewerRequest(code, '/liff/forms/01ABC/done').uri).toBe('/liff/index.html');
      expect(runViewerRequest(code, '/liff/reports/place').uri).toBe('/liff/index.html');
      expect(runViewerRequest(code, '/liff/assets/x.js').uri).toBe('/liff/assets/x.js');
      expect(runViewerRequest(code, '/liff/index.html').uri).toBe('/liff/index.html');
    });

    it('get their own headers: CSP allowing the LIFF SDK and framing by LINE, no X-Frame-Options, HSTS, nosniff, same-origin referrer', () => {
      const policyId = logicalIdOf('AWS::CloudFront::ResponseHeadersPolicy', /^LiffSecurityHeaders/);
      expect(liffBehavior().ResponseHeadersPolicyId).toEqual({ Ref: policyId });
      const config = resources()[policyId].Properties.ResponseHeadersPolicyConfig;
      expect(config.Name).toBe(`civic-line-${stage}-liff-security-headers`);
      const headers = config.SecurityHeadersConfig;
      expect(headers.ContentSecurityPolicy).toEqual({
        ContentSecurityPolicy: withOrigin(LIFF_CONTENT_SECURITY_POLICY, ['connect-src'], uploadsOrigin(stage)),
        Override: true,
      });
      const csp = new Map<string, string>(
        (headers.ContentSecurityPolicy.ContentSecurityPolicy as string)
          .split('; ')
          .map((d): [string, string] => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]),
      );
      expect(csp.get('frame-ancestors')).toBe("'self' https://liff.line.me https://*.line.me");
      expect(csp.get('script-src')).toBe("'self' https://static.line-scdn.net");
      // Files go straight to this stage's uploads bucket (presigned PUT).
      expect(csp.get('connect-src')).toBe(
        `'self' https://api.line.me https://liffsdk.line-scdn.net https://civic-line-${stage}-uploads.s3.ap-northeast-1.amazonaws.com`,
      );
      // The place picker's map pictures (地理院タイル), on top of the console's images.
      expect(csp.get('img-src')).toBe("'self' data: blob: https://profile.line-scdn.net https://cyberjapandata.gsi.go.jp");
      // Everything else is the console's policy.
      for (const directive of CONTENT_SECURITY_POLICY.split('; ')) {
        const key = directive.split(' ')[0];
        if (!['script-src', 'connect-src', 'frame-ancestors', 'img-src'].includes(key)) expect(`${key} ${csp.get(key)}`).toBe(directive);
      }
      expect(headers.FrameOptions).toBeUndefined();
      expect(JSON.stringify(config)).not.toContain('DENY');
      expect(headers.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Preload: true, Override: true });
      expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
    });

    it('are deployed under liff/ in the same bucket, pruned and invalidated on their own; the SPA deployment leaves liff/ alone', () => {
      expect(stages[stage].web.liffDeployed).toBe(true);
      template().resourceCountIs('Custom::CDKBucketDeployment', 2);
      template().hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: webBucketId() },
        DestinationBucketKeyPrefix: 'liff/',
        Prune: true,
        DistributionId: { Ref: distributionId() },
        DistributionPaths: ['/liff/*'],
      });
      // One deployment handler for both (a stack-wide singleton).
      template().resourceCountIs('AWS::Lambda::Function', isProd ? 1 : 2);
    });

    it('outputs the LIFF endpoint URL (with the trailing slash)', () => {
      template().hasOutput('LiffEndpointUrl', {
        Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, '/liff/']] },
        Description: Match.stringLikeRegexp('LIFF'),
      });
    });
  });

  it('deploys the SPA to the bucket, prunes old files (except liff/) and invalidates the distribution', () => {
    template().hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: webBucketId() },
      DestinationBucketKeyPrefix: Match.absent(),
      Prune: true,
      Exclude: ['liff/*'],
      DistributionId: { Ref: distributionId() },
      DistributionPaths: ['/*'],
    });
  });

  it('grants "*" only for CloudFront invalidations (deployment handler), never for S3', () => {
    for (const policy of Object.values(template().findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Json[]) {
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        if (!resources.includes('*')) continue;
        expect([statement.Action].flat().sort()).toEqual(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
      }
    }
  });

  it('outputs ConsoleUrl, LiffEndpointUrl, DistributionId and WebBucketName, each with a description', () => {
    const outputs = template().toJSON().Outputs as Record<string, { Description?: string }>;
    for (const key of ['ConsoleUrl', 'LiffEndpointUrl', 'DistributionId', 'WebBucketName']) expect(outputs[key]?.Description).toEqual(expect.any(String));
    template().hasOutput('ConsoleUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]] } });
    template().hasOutput('DistributionId', { Value: { Ref: distributionId() } });
    template().hasOutput('WebBucketName', { Value: { Ref: webBucketId() } });
  });
});
