import dedent from 'dedent';
import { z } from 'zod';
import { searchKnowledge } from '../../../dealership/knowledge-base.js';
import { defineTool } from './define-tool.js';

export const answerFromKnowledgeBase = defineTool({
  name: 'answer_from_knowledge_base',
  description: dedent`
    Look up the dealership's own information: opening hours, address and directions, financing, trade-in,
    service department, warranty, test drives, documents to bring, payment.
    Call when: the caller asks a question about the dealership or its policies.
    Do not call when: the question is about a specific vehicle (use the vehicle tools).
    Answer only from the sections this returns; if it returns none, say you do not have that information.`,
  parameters: z.object({
    question: z.string().min(2).max(300).describe("The caller's question in plain words"),
  }),
  execute: async ({ question }, { ctx }) => {
    const data = ctx.userData;
    const hits = await searchKnowledge(data.db, question, 3);
    if (hits.length === 0) {
      return {
        found: false,
        say: 'No dealership information covers this. Say you do not know and offer a callback or a person.',
      };
    }
    if (data.call.canMoveTo('providing_details')) {
      data.call.transition('providing_details', 'answered from knowledge base');
    }
    return { found: true, sections: hits.map((h) => ({ topic: h.heading, text: h.body })) };
  },
});
