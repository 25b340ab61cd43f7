// Strings of the party pages, merged into the dictionaries by i18n.js. Same rules as there:
// both languages with exactly the same keys, no empty values, the same {placeholders}.

export default {
  'zh-CN': {},
  en: {},
};
