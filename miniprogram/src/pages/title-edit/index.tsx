import { useRouter } from '@tarojs/taro'
import { Button, Switch, View } from '@tarojs/components'
import { Page } from '../../components/page'
import { Segmented } from '../../components/segmented'
import { ErrorState, Loading } from '../../components/state-view'
import { inputLabel, pressable } from '../../components/a11y'
import { routeParam } from '../../services/nav'
import { useTitleForm } from './use-title-form'
import { useTitleSave } from './use-title-save'
import { NameAndTaxId, PrintedFields } from './title-fields'
import { COLOR } from '../../styles/colors'

const KINDS = [
  { key: 'personal' as const, label: '个人', id: 'title-kind-personal' },
  { key: 'enterprise' as const, label: '单位', id: 'title-kind-enterprise' },
]

const CAN_IMPORT = process.env.TARO_ENV === 'weapp'

/** 新增 / 编辑抬头: kind, name and tax ID (checked as typed), the printed fields, 默认. */
export default function TitleEditPage() {
  const { params } = useRouter()
  const editId = params.id ? routeParam(params.id) : null
  const state = useTitleForm(editId)
  const { saving, saveError, save } = useTitleSave(state, editId)
  const { form, set } = state

  if (state.loadError) {
    return (
      <Page>
        <ErrorState message={state.loadError} onRetry={() => void state.reload()} />
      </Page>
    )
  }
  if (state.loading) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  return (
    <Page>
      <View className='segmented-bar'>
        <Segmented
          options={KINDS}
          value={form.kind}
          label='抬头类型'
          onChange={(kind) => {
            set('kind', kind)
            if (kind === 'personal' && form.taxId === '') state.setHint(null)
          }}
        />
      </View>
      {CAN_IMPORT ? (
        <View className='import-row'>
          <View className='link import-row__link' id='title-import-wechat' onClick={() => void state.importFromWechat()} {...pressable('从微信导入')}>
            从微信导入
          </View>
        </View>
      ) : null}

      <NameAndTaxId state={state} />
      {form.kind === 'enterprise' ? <PrintedFields state={state} /> : null}

      <View className='cells'>
        <View className='cell'>
          <View className='cell__body'>
            <View className='cell__title'>设为默认抬头</View>
            <View className='cell__desc'>开票和自动开票时默认使用</View>
          </View>
          <Switch
            id='title-default-switch'
            checked={form.isDefault}
            color={COLOR.brandStrong}
            onChange={(e) => set('isDefault', e.detail.value)}
            {...inputLabel('设为默认抬头')}
          />
        </View>
      </View>

      {saveError ? (
        <View className='error-text' id='title-save-error'>
          {saveError}
        </View>
      ) : null}
      <View className='btn-area'>
        <Button
          className={saving ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
          id='title-save'
          loading={saving}
          disabled={saving || undefined}
          onClick={() => void save(false)}
        >
          保存
        </Button>
      </View>
      <View className='hint'>请核对抬头和税号：发票开具后不能修改。专票不适用于充值：预付卡充值只能开具不征税普通发票。</View>
    </Page>
  )
}
