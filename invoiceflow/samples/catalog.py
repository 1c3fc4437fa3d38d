"""What sample vendors sell: item names in en/pt/es, price ranges and quantity kinds."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGE_INDEX = {"en": 0, "pt": 1, "es": 2}


@dataclass(frozen=True)
class Item:
    """One catalogue line; `{ref}` in a name is filled with a shipment or site ref.

    Prices are in US dollars and scaled to the invoice currency. `unit` says how
    quantities are drawn: `each` (1-10), `bulk` (5-60), `hours` (half hours) or
    `one` (always 1).
    """

    names: tuple[str, str, str]
    low: float
    high: float
    unit: str = "each"

    def name(self, language: str) -> str:
        return self.names[LANGUAGE_INDEX[language]]


# One block per item: "unit low high", then its name in en, pt and es.
_CATALOG_TEXT: dict[str, str] = {
    "office": """
each 35 60
  Copy paper, letter, 20 lb, case of 10 reams
  Papel sulfite A4 75 g, caixa com 10 resmas
  Papel multifunción A4 80 g, caja de 5 paquetes
bulk 4 9
  Ballpoint pens, blue, box of 12
  Canetas esferográficas azuis, caixa c/ 12
  Bolígrafos azules, caja de 12
each 60 140
  Toner cartridge, black, high yield
  Cartucho de toner preto, alto rendimento
  Cartucho de tóner negro, alto rendimiento
each 12 30
  Stapler, heavy duty
  Grampeador de mesa reforçado
  Grapadora de sobremesa reforzada
each 10 22
  Sticky notes 3x3 in, pack of 24
  Bloco autoadesivo 76x76 mm, pacote c/ 24
  Notas adhesivas 76x76 mm, paquete de 24
each 15 28
  Hanging file folders, box of 25
  Pastas suspensas, caixa c/ 25
  Carpetas colgantes, caja de 25
bulk 6 14
  Whiteboard markers, assorted, pack of 8
  Marcadores para quadro branco, 8 cores
  Rotuladores de pizarra, surtido de 8
each 180 420
  Ergonomic office chair, mesh back
  Cadeira ergonômica de escritório, encosto em tela
  Silla ergonómica de oficina, respaldo de malla
each 18 35
  Shipping labels 4x6 in, roll of 500
  Etiquetas adesivas 10x15 cm, rolo c/ 500
  Etiquetas de envío 10x15 cm, rollo de 500
bulk 3 8
  Binder clips, medium, box of 24
  Prendedores de papel médios, caixa c/ 24
  Pinzas sujetapapeles medianas, caja de 24
each 14 30
  Laminating pouches, letter, pack of 100
  Plásticos para plastificação A4, 100 un.
  Fundas de plastificar A4, 100 uds.
""",
    "freight": """
one 400 2400
  Linehaul freight, {ref}
  Frete rodoviário, {ref}
  Flete terrestre, {ref}
one 40 220
  Fuel surcharge, {ref}
  Taxa de combustível, {ref}
  Recargo por combustible, {ref}
one 60 120
  Liftgate delivery
  Entrega com plataforma elevatória
  Entrega con plataforma elevadora
hours 55 95
  Detention time
  Tempo de espera do veículo
  Tiempo de espera del vehículo
bulk 12 30
  Pallet handling
  Manuseio de paletes
  Manejo de estibas
one 25 150
  Cargo insurance, {ref}
  Seguro de carga, {ref}
  Seguro de carga, {ref}
one 150 800
  Less-than-truckload, {ref}
  Carga fracionada, {ref}
  Carga consolidada, {ref}
bulk 2 6
  Storage per pallet per day
  Armazenagem por palete/dia
  Almacenaje por estiba/día
""",
    "software": """
bulk 12 49
  Professional plan, monthly, per user
  Plano Profissional, mensal, por usuário
  Plan Profesional, mensual, por usuario
one 1200 4800
  Enterprise support, annual
  Suporte Enterprise, anual
  Soporte Empresarial, anual
hours 90 180
  Implementation services
  Serviços de implantação
  Servicios de implementación
each 5 20
  Additional storage 100 GB
  Armazenamento adicional 100 GB
  Almacenamiento adicional 100 GB
bulk 1 4
  API overage, per 10,000 calls
  Excedente de API, por 10 mil chamadas
  Excedente de API, por 10 mil llamadas
one 450 900
  Training workshop, half day
  Treinamento, meio período
  Taller de capacitación, medio día
one 80 200
  Single sign-on add-on, monthly
  Módulo de login único, mensal
  Complemento de inicio de sesión único, mensual
one 500 2000
  Data migration, {ref}
  Migração de dados, {ref}
  Migración de datos, {ref}
""",
    "cleaning": """
one 180 650
  Office cleaning, {ref}
  Limpeza de escritório, {ref}
  Limpieza de oficinas, {ref}
each 45 90
  Carpet shampooing, per room
  Lavagem de carpetes, por sala
  Lavado de alfombras, por sala
one 150 500
  Window washing, exterior, {ref}
  Limpeza de vidros da fachada, {ref}
  Limpieza de ventanas exteriores, {ref}
one 40 120
  Restroom supplies restock
  Reposição de insumos de banheiro
  Reposición de insumos sanitarios
hours 35 60
  Floor stripping and waxing
  Decapagem e enceramento de piso
  Decapado y encerado de pisos
each 28 55
  Trash liner bags, case of 250
  Sacos de lixo 100 L, fardo c/ 250
  Bolsas de basura, caja de 250
bulk 15 35
  Disinfectant concentrate, 1 gal
  Desinfetante concentrado 5 L
  Desinfectante concentrado 5 L
each 25 48
  Paper towels, case of 12 rolls
  Papel toalha, fardo c/ 12 rolos
  Toallas de papel, caja de 12 rollos
one 600 2200
  Post-construction cleanup, {ref}
  Limpeza pós-obra, {ref}
  Limpieza post-obra, {ref}
""",
    "it_hardware": """
each 650 1100
  Laptop 14 in, Core i5, 16 GB RAM
  Notebook 14", Core i5, 16 GB RAM
  Portátil 14", Core i5, 16 GB RAM
each 120 220
  Monitor 24 in Full HD
  Monitor 24" Full HD
  Monitor 24" Full HD
each 25 60
  Wireless keyboard and mouse
  Teclado e mouse sem fio
  Teclado y ratón inalámbricos
each 60 120
  SSD 1 TB NVMe
  SSD 1 TB NVMe
  SSD 1 TB NVMe
each 180 450
  Managed switch, 24 ports
  Switch gerenciável 24 portas
  Switch administrable de 24 puertos
each 140 260
  UPS 1500 VA
  Nobreak 1500 VA
  No-break 1500 VA
each 90 160
  Cat6 network cable, 1000 ft box
  Cabo de rede Cat6, caixa 305 m
  Cable de red Cat6, caja 305 m
hours 40 80
  On-site installation
  Serviço de instalação
  Servicio de instalación
each 30 70
  Webcam Full HD
  Webcam Full HD
  Cámara web Full HD
each 80 190
  Wi-Fi 6 router
  Roteador Wi-Fi 6
  Router Wi-Fi 6
""",
    "platform_fees": """
one 300 2500
  Marketplace commission, {ref}
  Comissão do marketplace, {ref}
  Comisión de marketplace, {ref}
one 120 900
  Delivery service fee, {ref}
  Taxa de entrega, {ref}
  Tarifa de servicio de entrega, {ref}
one 40 300
  Payment processing fee
  Taxa de processamento de pagamentos
  Comisión por procesamiento de pagos
one 50 400
  Sponsored listing campaign
  Campanha de anúncios patrocinados
  Campaña de anuncios patrocinados
one 10 25
  Tablet rental
  Aluguel de tablet
  Renta de tableta
one 30 350
  Promotion co-funding, {ref}
  Coparticipação em promoções, {ref}
  Cofinanciamiento de promociones, {ref}
bulk 20 60
  Branded packaging supplies
  Embalagens personalizadas
  Empaques personalizados
""",
}


def _parse_catalog(text: str) -> tuple[Item, ...]:
    lines = [line.strip() for line in text.strip().splitlines()]
    items = []
    for start in range(0, len(lines), 4):
        unit, low, high = lines[start].split()
        en, pt, es = lines[start + 1 : start + 4]
        items.append(Item((en, pt, es), float(low), float(high), unit))
    return tuple(items)


CATALOGS: dict[str, tuple[Item, ...]] = {
    name: _parse_catalog(text) for name, text in _CATALOG_TEXT.items()
}

# Menus for delivery receipts, by language: (dish, low, high) in local currency.
MENUS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "en": (
        ("Classic cheeseburger", 9, 14),
        ("Spicy chicken sandwich", 9, 13),
        ("Large fries", 3, 6),
        ("Margherita pizza 12 in", 13, 19),
        ("Pad thai with shrimp", 13, 18),
        ("Chicken burrito bowl", 10, 14),
        ("Caesar salad", 8, 12),
        ("Vegetable dumplings (6)", 7, 10),
        ("Iced lemonade", 3, 5),
        ("Chocolate chip cookie", 2, 4),
    ),
    "pt": (
        ("X-Burguer completo", 22, 35),
        ("Pastel de carne", 8, 14),
        ("Coxinha de frango (6 un.)", 18, 28),
        ("Açaí 500 ml com granola", 20, 32),
        ("Pizza calabresa grande", 45, 70),
        ("Prato feito de frango", 25, 38),
        ("Guaraná lata 350 ml", 5, 8),
        ("Pão de queijo (10 un.)", 12, 20),
        ("Suco de laranja 500 ml", 9, 14),
    ),
    "es": (
        ("Tacos al pastor (3)", 55, 90),
        ("Quesadilla de queso Oaxaca", 45, 70),
        ("Torta ahogada", 70, 110),
        ("Pozole rojo grande", 95, 140),
        ("Enchiladas verdes", 85, 125),
        ("Agua de horchata 1 L", 30, 45),
        ("Guacamole con totopos", 60, 95),
        ("Churros con chocolate", 40, 65),
        ("Refresco de lata", 20, 30),
    ),
}

# Fees printed as lines of a delivery receipt, so the subtotal adds them up.
RECEIPT_FEES: dict[str, tuple[str, str]] = {
    "en": ("Delivery fee", "Service fee"),
    "pt": ("Taxa de entrega", "Taxa de serviço"),
    "es": ("Costo de envío", "Tarifa de servicio"),
}

SITES: dict[str, tuple[str, ...]] = {
    "en": ("Building A", "North campus", "Main office", "Warehouse 2", "Clinic"),
    "pt": ("Unidade Centro", "Matriz", "Filial Norte", "Galpão 2", "Recepção"),
    "es": ("Sede Norte", "Oficina central", "Sucursal Sur", "Bodega 2", "Planta 1"),
}

PAYMENT_TERMS: dict[str, tuple[tuple[str, int], ...]] = {
    "en": (("Net 30", 30), ("Net 15", 15), ("Net 45", 45), ("Due on receipt", 0)),
    "pt": (("30 dias", 30), ("28 dias", 28), ("Boleto 15 dias", 15), ("À vista", 0)),
    "es": (("30 días", 30), ("Crédito 15 días", 15), ("60 días", 60), ("Contado", 0)),
}
