import { parseTrainArgs } from './train';

test('tts train: a mistyped or unknown option is an error naming it as typed; known ones parse', () => {
  expect(() => parseTrainArgs(['vocoder', '--stpes', '100'])).toThrow(/^unknown option --stpes \(see the usage/);
  expect(() => parseTrainArgs(['vocoder', '-x'])).toThrow(/^unknown option -x /);
  expect(parseTrainArgs(['vocoder', '--steps', '100', '--adv', '1', '--runtime', 'tfjs', '--export-only'])).toMatchObject({ _: ['vocoder'], steps: '100', adv: '1', runtime: 'tfjs', 'export-only': true });
});
