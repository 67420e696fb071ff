import { describe, expect, it } from 'vitest';
import {
  assertExpectedInfra,
  describeInfra,
  dockerReason,
  expectedInfra,
  planInfra,
  redactUrl,
} from './infra-source.ts';

const DOCKER = 'DOCKER_HOST is set (tcp://docker:2375)';

describe('dockerReason', () => {
  const noSocket = () => false;
  it('says why Docker counts as reachable, or nothing', () => {
    expect(dockerReason({ DOCKER_HOST: 'tcp://docker:2375' }, noSocket)).toBe(DOCKER);
    expect(dockerReason({}, (path) => path === '/var/run/docker.sock')).toBe('/var/run/docker.sock exists');
    expect(dockerReason({}, noSocket)).toBeUndefined();
  });

  it('is overruled by CONVENE_TEST_NO_CONTAINERS=1', () => {
    expect(dockerReason({ DOCKER_HOST: 'tcp://docker:2375', CONVENE_TEST_NO_CONTAINERS: '1' }, () => true)).toBe(
      undefined,
    );
  });
});

describe('planInfra', () => {
  it('takes the local infrastructure when nothing else is there', () => {
    expect(planInfra({}, undefined)).toEqual({
      mongo: 'local',
      amqp: 'local',
      source: 'local',
      why: {
        mongo: 'MONGO_URL is not set and no Docker engine is reachable',
        amqp: 'AMQP_URL is not set and no Docker engine is reachable',
      },
    });
  });

  it('takes containers when Docker is reachable, and the environment over both', () => {
    expect(planInfra({}, DOCKER)).toMatchObject({ mongo: 'containers', amqp: 'containers', source: 'containers' });
    expect(planInfra({ MONGO_URL: 'mongodb://m', AMQP_URL: 'amqp://a' }, DOCKER)).toMatchObject({
      mongo: 'environment',
      amqp: 'environment',
      source: 'environment',
    });
  });

  it('calls a run mixed when only one URL is set, and an empty variable unset', () => {
    expect(planInfra({ MONGO_URL: 'mongodb://m', AMQP_URL: '' }, DOCKER)).toEqual({
      mongo: 'environment',
      amqp: 'containers',
      source: 'mixed',
      why: {
        mongo: 'MONGO_URL is set',
        amqp: `AMQP_URL is not set and a Docker engine is reachable: ${DOCKER}`,
      },
    });
  });
});

describe('expectedInfra', () => {
  it('reads CONVENE_TEST_INFRA, unset or empty meaning no expectation', () => {
    expect(expectedInfra({})).toBeUndefined();
    expect(expectedInfra({ CONVENE_TEST_INFRA: '' })).toBeUndefined();
    expect(expectedInfra({ CONVENE_TEST_INFRA: 'local' })).toBe('local');
    expect(expectedInfra({ CONVENE_TEST_INFRA: 'containers' })).toBe('containers');
    expect(expectedInfra({ CONVENE_TEST_INFRA: 'environment' })).toBe('environment');
  });

  it('refuses any other value', () => {
    expect(() => expectedInfra({ CONVENE_TEST_INFRA: 'docker' })).toThrow(
      '[testing] CONVENE_TEST_INFRA must be one of local, containers, environment; got "docker"',
    );
  });
});

describe('assertExpectedInfra', () => {
  it('passes when both servers come from what was expected, or nothing was', () => {
    expect(() => assertExpectedInfra(planInfra({}, undefined), 'local')).not.toThrow();
    expect(() => assertExpectedInfra(planInfra({}, DOCKER), undefined)).not.toThrow();
  });

  it('refuses a run that would quietly move to containers, saying why and what to change', () => {
    expect(() => assertExpectedInfra(planInfra({}, DOCKER), 'local')).toThrow(
      [
        '[testing] CONVENE_TEST_INFRA=local, but this run would use containers infrastructure:',
        `  MONGO from containers: MONGO_URL is not set and a Docker engine is reachable: ${DOCKER}.`,
        `  AMQP from containers: AMQP_URL is not set and a Docker engine is reachable: ${DOCKER}.`,
        '  For the local infrastructure unset MONGO_URL and AMQP_URL, and unset DOCKER_HOST or set CONVENE_TEST_NO_CONTAINERS=1 so Docker is not used.',
      ].join('\n'),
    );
  });

  it('names only the server that comes from elsewhere', () => {
    expect(() => assertExpectedInfra(planInfra({ AMQP_URL: 'amqp://ci-broker' }, undefined), 'local')).toThrow(
      [
        '[testing] CONVENE_TEST_INFRA=local, but this run would use mixed infrastructure:',
        '  AMQP from environment: AMQP_URL is set.',
        '  For the local infrastructure unset MONGO_URL and AMQP_URL, and unset DOCKER_HOST or set CONVENE_TEST_NO_CONTAINERS=1 so Docker is not used.',
      ].join('\n'),
    );
    expect(() => assertExpectedInfra(planInfra({ AMQP_URL: 'amqp://ci-broker' }, undefined), 'environment')).toThrow(
      /^\[testing\] CONVENE_TEST_INFRA=environment, but this run would use mixed infrastructure:\n {2}MONGO from local: MONGO_URL is not set and no Docker engine is reachable\.\n {2}For the environment set both MONGO_URL and AMQP_URL\.$/,
    );
  });
});

describe('describeInfra', () => {
  it('prints one line naming the source and both servers, without passwords', () => {
    const urls = { mongoUrl: 'mongodb://127.0.0.1:27017', amqpUrl: 'amqp://guest:guest@127.0.0.1:5672' };
    expect(describeInfra(planInfra({}, undefined), urls)).toBe(
      '[testing] infrastructure: local (MONGO mongodb://127.0.0.1:27017, AMQP amqp://guest:***@127.0.0.1:5672)',
    );
    expect(describeInfra(planInfra({ MONGO_URL: 'x' }, undefined), urls)).toBe(
      '[testing] infrastructure: mixed (MONGO environment mongodb://127.0.0.1:27017, AMQP local amqp://guest:***@127.0.0.1:5672)',
    );
  });
});

describe('redactUrl', () => {
  it('hides the password of single- and multi-host URLs and leaves the rest', () => {
    expect(redactUrl('amqp://guest:guest@127.0.0.1:5672/vhost')).toBe('amqp://guest:***@127.0.0.1:5672/vhost');
    expect(redactUrl('mongodb://app:s3cr%40t@a:27017,b:27017/db?replicaSet=rs0')).toBe(
      'mongodb://app:***@a:27017,b:27017/db?replicaSet=rs0',
    );
    expect(redactUrl('mongodb://127.0.0.1:27017')).toBe('mongodb://127.0.0.1:27017');
    expect(redactUrl('amqp://user@host')).toBe('amqp://user@host');
  });
});
