// Runtime half of a11y-attrs.plugin.js: the same patch, so props map to the template's slots.
import { mergeInternalComponents } from '@tarojs/shared'
import { A11Y_PATCH } from './a11y-attrs.patch'

mergeInternalComponents(A11Y_PATCH)
