import { describe, expect, it } from 'vitest';
import { nameWords, nonSecretValue, secretWordOf } from '../../src/engines/secrets/names.js';

describe('nameWords', () => {
  it.each([
    ['DB_PASSWORD', ['DB', 'PASSWORD']],
    ['dbPassword', ['DB', 'PASSWORD']],
    ['OAuthToken', ['O', 'AUTH', 'TOKEN']],
    ['APIKey', ['API', 'KEY']],
    ['tls.key', ['TLS', 'KEY']],
    ['smtp-pass', ['SMTP', 'PASS']],
    ['s3Key', ['S3', 'KEY']],
  ])('%s', (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });
});

describe('secretWordOf', () => {
  it.each([
    ['PASSWORD', 'PASSWORD'],
    ['DB_PASSWORD', 'PASSWORD'],
    ['MYSQL_ROOT_PASSWORD', 'PASSWORD'],
    ['dbPassword', 'PASSWORD'],
    ['LDAP_PASSWD', 'PASSWD'],
    ['GPG_PASSPHRASE', 'PASSPHRASE'],
    ['SESSION_SECRET', 'SECRET'],
    ['SECRET_KEY_BASE', 'SECRET'],
    ['AWS_SECRET_ACCESS_KEY', 'SECRET'],
    ['GITHUB_TOKEN', 'TOKEN'],
    ['OAuthToken', 'TOKEN'],
    ['API_KEY', 'KEY'],
    ['apiKey', 'KEY'],
    ['APIKEY', 'APIKEY'],
    ['X_APIKEY', 'APIKEY'],
    ['STRIPE_KEY', 'KEY'],
    ['ENCRYPTION_KEY', 'KEY'],
    ['JWT_PRIVATE_KEY', 'KEY'],
    ['COSMOS_PRIMARY_KEY', 'KEY'],
    ['tls.key', 'KEY'],
    ['key.pem', 'KEY'],
    ['GOOGLE_APPLICATION_CREDENTIALS', 'CREDENTIALS'],
    ['credentials.json', 'CREDENTIALS'],
    ['REGISTRY_CREDS', 'CREDS'],
    ['DB_PASS', 'PASS'],
    ['smtp-pass', 'PASS'],
    ['DB_PWD', 'PWD'],
    ['REDIS_AUTH', 'AUTH'],
    ['BASIC_AUTH', 'AUTH'],
    ['auth.json', 'AUTH'],
    ['HTTP_AUTHORIZATION', 'AUTHORIZATION'],
    ['GPG_PRIVATE', 'PRIVATE'],
    // one-word compounds
    ['DBPASSWORD', 'DBPASSWORD'],
    ['CLIENTSECRET', 'CLIENTSECRET'],
    ['.htpasswd', 'HTPASSWD'],
    // well-known key files
    ['id_rsa', 'id_rsa'],
    ['.pgpass', '.pgpass'],
  ])('%s is a secret (%s)', (name, word) => {
    expect(secretWordOf(name)).toBe(word);
  });

  it.each([
    // not secret words at all
    'LOG_LEVEL',
    'DATABASE_URL',
    'DATABASE_HOST',
    'API_URL',
    'KEYCLOAK_URL',
    'MONKEY',
    'SECRETARY_EMAIL',
    'TOKENIZER_MODEL',
    'MAX_TOKENS',
    'SORT_KEYS',
    'NEXTAUTH_URL',
    'ca.crt',
    'id_rsa.pub',
    // the shell's working directory
    'PWD',
    'OLDPWD',
    // KEY as a lookup key or a public key
    'CACHE_KEY',
    'CACHE_KEY_PREFIX',
    'SORT_KEY',
    'PARTITION_KEY',
    'IDEMPOTENCY_KEY',
    'PUBLIC_KEY',
    'JWT_PUBLIC_KEY',
    'ssh_host_rsa_key.pub',
    // a qualifier after the secret word
    'DB_PASSWORD_FILE',
    'PASSWORD_MIN_LENGTH',
    'SECRET_NAME',
    'SECRETS_DIR',
    'AWS_ACCESS_KEY_ID',
    'KEY_PREFIX',
    'TOKEN_TTL',
    'TOKEN_URL',
    'OAUTH_TOKEN_ENDPOINT',
    'X_API_KEY_HEADER',
    'API_KEY_ENABLED',
    'JWT_SECRET_KEY_PATH',
    'PASSWORD_RESET_URL',
    // weak words not at the end
    'PASS_THROUGH',
    'AUTH_MODE',
    'AUTH_URL',
    'AUTH_ENABLED',
    'BASIC_AUTH_USER',
    'PRIVATE_REGISTRY',
    'PRIVATE_SUBNET_ID',
    'OAuthClientId',
  ])('%s is not a secret', (name) => {
    expect(secretWordOf(name)).toBeUndefined();
  });
});

describe('nonSecretValue', () => {
  it.each([
    ['', 'blank'],
    ['  ', 'blank'],
    ['true', 'a switch, not a secret'],
    ['FALSE', 'a switch, not a secret'],
    ['yes', 'a switch, not a secret'],
    ['/etc/tls/tls.key', 'a file path'],
    ['/run/secrets/db-password', 'a file path'],
    ['/var/run/secrets/', 'a file path'],
    ['$(DB_PASSWORD)', 'a reference to a value held elsewhere'],
    ['${DB_PASSWORD}', 'a reference to a value held elsewhere'],
    ['$(DB_USER):$(DB_PASSWORD)', 'a reference to a value held elsewhere'],
  ])('%j is %s', (value, why) => {
    expect(nonSecretValue(value)).toBe(why);
  });

  it.each(['hunter2', 'changeme', 'password', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc', '${DB_PASSWORD:-hunter2}', 'Bearer $(TOKEN)', '/etc/passwd and more', '1234', 'a/b', 'pa$$word'])('%j may be a secret', (value) => {
    expect(nonSecretValue(value)).toBeUndefined();
  });
});
