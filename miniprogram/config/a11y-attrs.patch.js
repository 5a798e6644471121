/** The aria attributes added to Taro's weapp components ('' = no default value). */
const ARIA = {
  'aria-role': '',
  'aria-label': '',
  'aria-checked': '',
  'aria-selected': '',
  'aria-disabled': '',
  'aria-hidden': '',
  'aria-expanded': '',
}

const A11Y_PATCH = {
  View: ARIA,
  Text: ARIA,
  Image: ARIA,
  Button: ARIA,
  Input: ARIA,
  Textarea: ARIA,
  Switch: ARIA,
  Picker: ARIA,
  Label: ARIA,
}

module.exports = { A11Y_PATCH }
