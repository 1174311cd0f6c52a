// Quiet Powertools in tests (no EMF metrics or JSON logs on stdout); Tokyo time like the city.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.TZ = 'Asia/Tokyo';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The platform's HMAC key for adapters built in unit tests (the local runtime generates its own).
process.env.APP_SIGNING_KEY ??= 'unit-test-signing-key-0123456789abcdef';
