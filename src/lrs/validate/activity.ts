import { z } from 'zod';
import { extensions, iri, languageMap } from './formats.ts';

// Activities and their definitions (xAPI 1.0.3, Data 2.4.4.1).

/**
 * Largest Activity definition this LRS takes, in bytes of its JSON (UTF-8): the LRS keeps each
 * Activity's canonical definition and sends it with every statement in format=canonical
 * (Communication 2.5). A limit of this LRS, not of xAPI.
 */
export const MAX_DEFINITION_BYTES = 64 * 1024;

const INTERACTION_TYPES = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
] as const;
/** Which interaction types each interaction component list belongs to (Data 2.4.4.1). */
const COMPONENT_LISTS = {
  choices: ['choice', 'sequencing'],
  scale: ['likert'],
  source: ['matching'],
  target: ['matching'],
  steps: ['performance'],
} as const satisfies Record<string, readonly (typeof INTERACTION_TYPES)[number][]>;

const interactionComponents = z.array(z.strictObject({ id: z.string().min(1), description: languageMap.optional() }));
const activityDefinition = z
  .strictObject({
    name: languageMap.optional(),
    description: languageMap.optional(),
    type: iri.optional(),
    moreInfo: iri.optional(),
    extensions: extensions.optional(),
    interactionType: z.enum(INTERACTION_TYPES).optional(),
    correctResponsesPattern: z.array(z.string()).optional(),
    choices: interactionComponents.optional(),
    scale: interactionComponents.optional(),
    source: interactionComponents.optional(),
    target: interactionComponents.optional(),
    steps: interactionComponents.optional(),
  })
  .superRefine((definition, context) => {
    const bytes = Buffer.byteLength(JSON.stringify(definition));
    if (bytes > MAX_DEFINITION_BYTES) {
      context.addIssue({
        code: 'custom',
        message: `is ${bytes} bytes as JSON; at most ${MAX_DEFINITION_BYTES} bytes are accepted (a limit of this LRS)`,
      });
    }
    const type = definition.interactionType;
    if (type === undefined && definition.correctResponsesPattern !== undefined) {
      context.addIssue({ code: 'custom', path: ['interactionType'], message: 'is required with correctResponsesPattern' });
    }
    for (const [list, types] of Object.entries(COMPONENT_LISTS)) {
      const components: unknown = definition[list as keyof typeof COMPONENT_LISTS];
      if (!Array.isArray(components)) {
        continue;
      }
      if (type === undefined || !(types as readonly string[]).includes(type)) {
        context.addIssue({
          code: 'custom',
          path: [list],
          message: `is only used with interactionType ${types.map((t) => `"${t}"`).join(' or ')}`,
        });
      }
      const ids = components.map((component: { id?: unknown }) => component.id);
      const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
      if (repeated !== undefined) {
        context.addIssue({ code: 'custom', path: [list], message: `repeats the component id ${JSON.stringify(repeated)}` });
      }
    }
  });
/** Zod schema of an Activity object (Data 2.4.4.1). */
export const activity = z.strictObject({
  objectType: z.literal('Activity').optional(),
  id: iri,
  definition: activityDefinition.optional(),
});

/** An Activity object, definition included. */
export type Activity = z.output<typeof activity>;
