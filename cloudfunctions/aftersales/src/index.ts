/**
 * Deployed entry of the `aftersales` cloud function (applications 补开, paper copies by post,
 * tickets, photo uploads). The handler is the same one the local cloud hosts; here it is wired
 * to wx-server-sdk. It carries the renderer and the mailer: notices are e-mailed, and a
 * resumed approval may move an invoice to issued (render, store, e-mail).
 */
import { wxMain } from '../../_core/wiring/wx'
import { invoiceDocuments } from '../../_core/wiring/wx-documents'
import { createAftersalesHandler } from './handler'

export const main = wxMain(createAftersalesHandler, { documents: invoiceDocuments, guard: { fn: 'aftersales', mode: 'refuse' } })
