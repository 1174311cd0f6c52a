/**
 * A small evaluator of a synthesized bucket policy's explicit denies, for tests: does any Deny
 * statement match the request? Only what the project's bucket policies use is understood
 * (Principal `AWS: '*'` or a named one, wildcard actions and resources, Bool, StringEquals,
 * StringNotEquals); anything else throws, so a new kind of statement is not silently ignored.
 * Intrinsics are rendered with the given logical-id → ARN map, partition `aws`, the request's account.
 */

export interface Request {
  /** `{ Service: 'ses.amazonaws.com' }` or `{ AWS: <role ARN> }`. */
  principal: { Service: string } | { AWS: string };
  action: string;
  /** `bucket` or `bucket/key`. */
  resource: string;
  /** The request's condition keys (`aws:SourceArn`, `aws:SecureTransport`, …); absent keys are absent. */
  context: Record<string, string>;
  account: string;
}

type PolicyStatement = { Effect: string; Action: string | string[]; Principal?: unknown; Resource: unknown; Condition?: unknown };

function render(value: unknown, request: Request, arns: Record<string, string>): unknown {
  if (typeof value === 'string' || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => render(v, request, arns));
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => render(part, request, arns)).join(separator);
  }
  if ('Ref' in object) {
    const refs: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': request.account, 'AWS::Region': 'ap-northeast-1' };
    return refs[object.Ref as string] ?? `arn:ref:${String(object.Ref)}`;
  }
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    return attribute === 'Arn' && arns[id] ? arns[id] : `arn:getatt:${id}.${attribute}`;
  }
  return Object.fromEntries(Object.entries(object).map(([key, v]) => [key, render(v, request, arns)]));
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
const list = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).map(String);

function principalMatches(principal: unknown, request: Request): boolean {
  if (principal === '*') return true;
  const given = principal as Record<string, unknown>;
  if ('AWS' in given && list(given.AWS).some((p) => p === '*' || ('AWS' in request.principal && p === request.principal.AWS))) return true;
  if ('Service' in given && 'Service' in request.principal) return list(given.Service).includes(request.principal.Service);
  return false;
}

function conditionsHold(condition: unknown, request: Request): boolean {
  for (const [operator, keys] of Object.entries((condition ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [key, expected] of Object.entries(keys)) {
      const actual = Object.entries(request.context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
      const values = list(expected);
      switch (operator) {
        case 'Bool':
        case 'StringEquals':
          if (actual === undefined || !values.includes(actual)) return false;
          break;
        case 'StringNotEquals':
          // A key missing from the request never equals: the negated operator holds.
          if (actual !== undefined && values.includes(actual)) return false;
          break;
        default:
          throw new Error(`bucket-policy.ts does not evaluate the condition operator ${operator}`);
      }
    }
  }
  return true;
}

/** True when an explicit Deny of the policy matches the request. */
export function isDenied(statements: PolicyStatement[], request: Request, arns: Record<string, string>): boolean {
  const resourceArn = `arn:aws:s3:::${request.resource}`;
  return statements
    .filter((s) => s.Effect === 'Deny')
    .map((s) => render(s, request, arns) as PolicyStatement)
    .some(
      (s) =>
        principalMatches(s.Principal, request) &&
        list(s.Action).some((a) => glob(a).test(request.action)) &&
        list(s.Resource).some((r) => glob(r).test(resourceArn)) &&
        conditionsHold(s.Condition, request),
    );
}
