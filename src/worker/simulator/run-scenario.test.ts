import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAgentsLogger } from '../../../test/helpers/agent-harness.js';
import { testConfig } from '../../../test/helpers/app.js';
import { createTestDatabase } from '../../../test/helpers/databases.js';
import { captureLogs } from '../../../test/helpers/log-capture.js';
import { PROJECT_ROOT } from '../../config/index.js';
import type { DatabaseHandle } from '../../db/index.js';
import { createMetrics } from '../../observability/metrics.js';
import { directMetricsSink } from '../../observability/metrics-sink.js';
import { indexKnowledgeDir } from '../../dealership/knowledge-base.js';
import { formatResult } from './report.js';
import { runScenario, type SimulatorEnv } from './run-scenario.js';
import { loadScenario, scenarioSchema } from './scenario.js';

describe('scenario runner', () => {
  let database: DatabaseHandle;
  let env: SimulatorEnv;
  beforeAll(async () => {
    initAgentsLogger();
    database = await createTestDatabase('sqlite');
    await indexKnowledgeDir(database.db, path.join(PROJECT_ROOT, 'config', 'knowledge'));
    env = {
      config: testConfig(),
      db: database.db,
      logger: captureLogs().logger,
      metrics: directMetricsSink(createMetrics({ defaultMetrics: false })),
      liveLlm: null,
      transferTargets: { sales: 'tel:+15555550111' },
    };
  });
  afterAll(() => database.destroy());

  it('reports every expectation the call did not meet, and unused scripted replies', async () => {
    const scenario = await loadScenario(
      path.join(PROJECT_ROOT, 'test/scenarios/opening-hours.yaml'),
    );
    const wrong = scenarioSchema.parse({
      ...scenario,
      turns: [
        ...scenario.turns.slice(0, 2),
        { user: 'one more thing', replies: [{ content: 'Sure.' }, { content: 'never used' }] },
      ],
      expect: {
        tools: ['end_call'],
        outcome: 'appointment_booked',
        transcript_contains: ['open 24 hours'],
        stored: { customer_name: 'Nobody' },
      },
    });
    const result = await runScenario(env, wrong);
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual([
      'turn 3: 1 scripted repl(ies) not used by the agent',
      'tools: expected end_call in order, got answer_from_knowledge_base > answer_from_knowledge_base',
      'outcome: expected appointment_booked, got hung_up',
      'transcript: missing "open 24 hours"',
      'stored customer name: expected Nobody, got nothing',
    ]);
    const printed = formatResult(result, 'x.yaml');
    expect(printed).toContain('FAIL\n  - turn 3');
    expect(printed).toContain(
      'States: initializing > greeting > information_gathering > providing_details > ended',
    );
  });

  it('rejects a malformed scenario file with every problem named', () => {
    const parsed = scenarioSchema.safeParse({
      name: 'x',
      turns: [{ user: '' }],
      expect: { outcome: 'won' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'turns.0.user',
      'expect.outcome',
    ]);
  });
});
