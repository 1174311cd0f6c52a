/**
 * Keys of the disaster-mail bridge on the single table (docs/data-model.md, "Disaster mail").
 * - Settings:  PK SETTINGS  SK DISASTER_MAIL   settings, version
 */
export const bridgeSettingsKey = () => ({ PK: 'SETTINGS', SK: 'DISASTER_MAIL' });
